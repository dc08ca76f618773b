"""Asking for a password reset link (anyone, signed in or not: Django's auth views are login_not_required)."""

from axes.helpers import get_client_ip_address
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from accounts import services
from mappa import forms


class PasswordResetView(auth_views.PasswordResetView):
    """Django's page and form; what a valid request does is accounts.services.request_password_reset."""

    form_class = forms.PasswordResetForm

    def form_valid(self, form):
        # The client's address as the sign-in lockout reads it (PROXY_COUNT), so both count the same person.
        services.request_password_reset(address=form.cleaned_data["email"], client=get_client_ip_address(self.request))
        return HttpResponseRedirect(self.get_success_url())
