from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_step
from accounts.models import Deactivation, PasswordResetRequest


@admin.register(PasswordResetRequest)
class PasswordResetRequestAdmin(admin.ModelAdmin):
    list_display = ["requested_at", "address", "client", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["address", "client"]
    readonly_fields = ["requested_at", "address", "client", "outcome"]


@admin.register(Deactivation)
class DeactivationAdmin(admin.ModelAdmin):
    list_display = ["deactivated_at", "person", "user", "last_membership_ended_on"]
    readonly_fields = ["deactivated_at", "person", "user", "last_membership_ended_on"]


# django-otp's own admin pages would show each authenticator's secret: authenticators are only ever
# set up by their holder, and reset (removed) with the action below.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Django's user admin, with each account's last sign-in and two-step state, and the reset."""

    list_display = ["username", "email", "is_active", "is_superuser", "last_login", "two_step_state"]
    list_filter = [*UserAdmin.list_filter]
    actions = ["reset_authenticator"]

    def get_queryset(self, request):
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_step=Exists(devices))

    @admin.display(description="Two-step sign-in", ordering="has_two_step")
    def two_step_state(self, user):
        return "Set up" if user.has_two_step else "Not set up"

    @admin.action(description="Reset authenticator (they set up a new one at their next sign-in)")
    def reset_authenticator(self, request, queryset):
        for user in queryset:
            two_step.reset(user, request=request)
        self.message_user(
            request,
            f"Reset the authenticator of {queryset.count()} account(s); their sessions have ended.",
            messages.SUCCESS,
        )


@login_not_required
def admin_sign_in(request, extra_context=None):
    """The admin's own sign-in form would skip the second step: send people to the service's sign-in."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.login = admin_sign_in
