"""Sign-ins, sign-outs and changes of access, recorded from Django's signals (connected in audit.apps).

* Signing in, failing to, signing out: django.contrib.auth's user_logged_in, user_login_failed and
  user_logged_out. django-axes listens to the same signals and sends none of its own, so each
  attempt is one line; a refusal because of a lock-out is still one failed sign-in, marked
  ``locked_out``.
* Roles and rights: a person's access role (mappa.models.Person.access_role), a login's
  superuser, staff and active flags, its groups and permissions, and a group's permissions.
* Memberships (mappa.models.Membership): added, changed (role, dates, representing) or removed;
  a SOG chair's membership is what lets them act for an area.

The audit app may import mappa and django.contrib.auth: both are below it.
"""

from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from audit.models import AuditEvent
from audit.services import record
from mappa.models import Membership, Person

Kind = AuditEvent.Kind
USER_FLAGS = ("is_superuser", "is_staff", "is_active")
MEMBERSHIP_FIELDS = ("person_id", "body_id", "role", "representing_id", "started_on", "ended_on")


def signed_in(sender, request, user, **kwargs):
    record(Kind.SIGN_IN, request=request, user=user)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    typed = str(credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or "")
    account = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: typed}).first()
    details = {"locked_out": True} if getattr(request, "axes_locked_out", False) else {}
    record(Kind.SIGN_IN_FAILED, request=request, user=account, username=typed, details=details)


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.SIGN_OUT, request=request, user=user)


# --- Roles and rights ---------------------------------------------------------------------------


def _remember(instance, fields, update_fields):
    """Keep the saved values of ``fields`` on the instance, to compare after the save."""
    if update_fields is not None and not set(update_fields) & set(fields):
        instance._audit_before = None  # e.g. last_login on signing in: nothing watched changes
        return
    if instance.pk is None:  # a new record: compared with the fields' defaults
        instance._audit_before = {name: instance._meta.get_field(name).get_default() for name in fields}
        return
    instance._audit_before = type(instance)._default_manager.filter(pk=instance.pk).values(*fields).first() or {}


def _changes(instance, fields):
    before = getattr(instance, "_audit_before", None)
    if before is None:
        return {}
    changed = {}
    for field in fields:
        old, new = before.get(field), getattr(instance, field)
        if old != new:
            changed[field] = {"from": _plain(old), "to": _plain(new)}
    return changed


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def person_before_save(sender, instance, update_fields=None, **kwargs):
    _remember(instance, ("access_role",), update_fields)


def person_saved(sender, instance, **kwargs):
    changed = _changes(instance, ("access_role",))
    if changed:
        record(Kind.ROLE_CHANGED, target=instance, details={"access_role": changed["access_role"]})


def user_before_save(sender, instance, update_fields=None, **kwargs):
    _remember(instance, USER_FLAGS, update_fields)


def user_saved(sender, instance, **kwargs):
    changed = _changes(instance, USER_FLAGS)
    if changed:
        record(Kind.ROLE_CHANGED, target=instance, label=instance.get_username(), details=changed)


def _m2m_names(model, pk_set):
    return sorted(str(obj) for obj in model._default_manager.filter(pk__in=pk_set or ()))


def user_rights_changed(sender, instance, action, model, pk_set, reverse, **kwargs):
    """A login's groups or permissions, changed from either side (user.groups.add(g), group.user_set.add(u))."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    user_model = get_user_model()
    what = "groups" if sender is user_model.groups.through else "permissions"
    change = "added" if action == "post_add" else "removed"
    if reverse:  # instance is the group or permission; pk_set the logins
        users = instance.user_set.all() if action == "pre_clear" else user_model._default_manager.filter(pk__in=pk_set)
        for user in users:
            record(Kind.ROLE_CHANGED, target=user, label=user.get_username(), details={what: {change: [str(instance)]}})
        return
    if action == "pre_clear":
        names = sorted(
            str(obj) for obj in getattr(instance, "groups" if what == "groups" else "user_permissions").all()
        )
    else:
        names = _m2m_names(model, pk_set)
    if names:
        record(Kind.ROLE_CHANGED, target=instance, label=instance.get_username(), details={what: {change: names}})


def group_permissions_changed(sender, instance, action, model, pk_set, reverse, **kwargs):
    if action not in ("post_add", "post_remove") or reverse:
        return
    names = _m2m_names(model, pk_set)
    if names:
        change = "added" if action == "post_add" else "removed"
        record(Kind.ROLE_CHANGED, target=instance, details={"permissions": {change: names}})


# --- Memberships --------------------------------------------------------------------------------


def _membership_details(membership, change):
    return {
        "change": change,
        "person": str(membership.person),
        "body": str(membership.body),
        "role": membership.role,
        "started_on": _plain(membership.started_on),
        "ended_on": _plain(membership.ended_on),
    }


def membership_before_save(sender, instance, update_fields=None, **kwargs):
    _remember(instance, MEMBERSHIP_FIELDS, update_fields)


def membership_saved(sender, instance, created, **kwargs):
    changed = _changes(instance, MEMBERSHIP_FIELDS)
    if not created and not changed:
        return
    details = _membership_details(instance, "added" if created else "changed")
    if not created:
        details["changed"] = changed
    record(Kind.MEMBERSHIP_CHANGED, target=instance, details=details)


def membership_deleted(sender, instance, **kwargs):
    # The line keeps the membership's label; its id no longer opens anything.
    record(Kind.MEMBERSHIP_CHANGED, target=instance, details=_membership_details(instance, "removed"))


def connect():
    uid = "audit"
    user_model = get_user_model()
    user_logged_in.connect(signed_in, dispatch_uid=f"{uid}-signed-in")
    user_login_failed.connect(sign_in_failed, dispatch_uid=f"{uid}-sign-in-failed")
    user_logged_out.connect(signed_out, dispatch_uid=f"{uid}-signed-out")
    pre_save.connect(person_before_save, sender=Person, dispatch_uid=f"{uid}-person-before")
    post_save.connect(person_saved, sender=Person, dispatch_uid=f"{uid}-person")
    pre_save.connect(user_before_save, sender=user_model, dispatch_uid=f"{uid}-user-before")
    post_save.connect(user_saved, sender=user_model, dispatch_uid=f"{uid}-user")
    m2m_changed.connect(user_rights_changed, sender=user_model.groups.through, dispatch_uid=f"{uid}-user-groups")
    m2m_changed.connect(
        user_rights_changed, sender=user_model.user_permissions.through, dispatch_uid=f"{uid}-user-permissions"
    )
    m2m_changed.connect(group_permissions_changed, sender=Group.permissions.through, dispatch_uid=f"{uid}-group")
    pre_save.connect(membership_before_save, sender=Membership, dispatch_uid=f"{uid}-membership-before")
    post_save.connect(membership_saved, sender=Membership, dispatch_uid=f"{uid}-membership")
    post_delete.connect(membership_deleted, sender=Membership, dispatch_uid=f"{uid}-membership-deleted")
