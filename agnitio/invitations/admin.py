from django.contrib import admin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["mailed_to", "kind", "organisation", "status", "expires_at", "send_count"]
    list_filter = ["kind", "status"]
    search_fields = ["mailed_to", "organisation__legal_name"]
    readonly_fields = ["token_hash", "target_type", "target_id", "payload"]
    list_select_related = ["organisation"]
