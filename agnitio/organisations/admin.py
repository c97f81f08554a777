from django.contrib import admin

from .models import Invitation, Membership, Organisation, Signatory, SignatureImage


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "short_name", "country", "email", "identifier"]
    search_fields = ["legal_name", "short_name", "email", "identifier", "public_id"]
    list_filter = ["country"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "status", "expires_at"]
    list_filter = ["status", "role"]
    search_fields = ["email", "organisation__legal_name"]
    readonly_fields = ["token_hash"]
    list_select_related = ["organisation"]


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position", "organisation", "is_active"]
    search_fields = ["full_name", "organisation__legal_name"]
    list_select_related = ["organisation"]


@admin.register(SignatureImage)
class SignatureImageAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "organisation", "is_active", "is_default"]
    list_filter = ["kind", "is_active", "is_default"]
    list_select_related = ["organisation"]
