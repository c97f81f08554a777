from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken
from .services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "organisation", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = [
        "public_id", "name", "prefix", "secret_hash", "user", "organisation", "created_at", "last_used_at",
        "expires_at", "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are created by their owner, who alone sees the secret

    def has_change_permission(self, request, obj=None):
        return False  # only revocation, through the action (audited)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            api_token_revoke(actor=request.user, token=token)
        count = len(tokens)
        self.message_user(request, ngettext("%(count)d token was revoked.", "%(count)d tokens were revoked.", count)
                          % {"count": count}, messages.SUCCESS)

    def has_revoke_permission(self, request):
        return request.user.is_superuser
