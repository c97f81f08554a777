from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Membership, Organisation, Signatory, SignatureImage


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class IdentityVerifiedFilter(admin.SimpleListFilter):
    title = _("identity verified by the platform")
    parameter_name = "identity_verified"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(identity_verified_at__isnull=self.value() == "no")
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "short_name", "country", "email", "identifier", "identity_verified_at"]
    search_fields = ["legal_name", "short_name", "email", "identifier", "public_id"]
    list_filter = ["country", IdentityVerifiedFilter]
    readonly_fields = ["identity_verified_at", "identity_verified_by"]
    inlines = [MembershipInline]
    actions = ["mark_identity_verified", "withdraw_identity_verification"]

    def _identity(self, request, queryset, verified: bool) -> None:
        from .services import organisation_identity_verify

        for organisation in queryset:
            organisation_identity_verify(actor=request.user, organisation=organisation, verified=verified)
        count = queryset.count()
        self.message_user(request, ngettext("%(count)d organisation updated.", "%(count)d organisations updated.",
                                            count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Mark the identity as verified by the platform"))
    def mark_identity_verified(self, request, queryset):
        self._identity(request, queryset, True)

    @admin.action(description=_("Withdraw the platform's identity verification"))
    def withdraw_identity_verification(self, request, queryset):
        self._identity(request, queryset, False)


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position", "organisation", "is_active"]
    search_fields = ["full_name", "organisation__legal_name"]
    list_select_related = ["organisation"]


@admin.register(SignatureImage)
class SignatureImageAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "variant", "organisation", "is_active", "is_default"]
    list_filter = ["kind", "variant", "is_active", "is_default"]
    list_select_related = ["organisation"]
