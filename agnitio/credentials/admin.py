from django.contrib import admin

from .models import IssuedCredential, IssuerKey, ShareLink, StatusList, WalletItem


@admin.register(IssuedCredential)
class IssuedCredentialAdmin(admin.ModelAdmin):
    """Read-only: issuing and revoking go through the services (signature, status list, audit)."""

    list_display = ["number", "code", "kind", "holder_name", "organisation", "issued_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "code", "holder_name", "holder_email"]
    readonly_fields = [f.name for f in IssuedCredential._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IssuerKey)
class IssuerKeyAdmin(admin.ModelAdmin):
    list_display = ["organisation", "key_id", "is_active", "created_at", "retired_at"]
    exclude = ["private_key_encrypted"]
    readonly_fields = ["organisation", "key_id", "public_key_multibase", "is_active", "retired_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StatusList)
class StatusListAdmin(admin.ModelAdmin):
    list_display = ["organisation", "purpose", "next_index", "length", "updated_at"]
    exclude = ["bits", "allocated", "credential"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(ShareLink, list_display=["credential", "created_by", "expires_at", "revoked_at"],
                    exclude=["token"])
admin.site.register(WalletItem, list_display=["user", "name", "issuer_id", "verified_at"])
