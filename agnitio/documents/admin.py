from django.contrib import admin

from .models import DocumentJob, DocumentJobItem, OrganisationSeal, SealAuthority


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin):
    list_display = ["public_id", "organisation", "handler", "kind", "status", "total", "done", "failed", "created_at"]
    list_filter = ["status", "handler", "kind"]
    search_fields = ["public_id", "title", "organisation__legal_name"]
    readonly_fields = [f.name for f in DocumentJob._meta.fields]


@admin.register(DocumentJobItem)
class DocumentJobItemAdmin(admin.ModelAdmin):
    list_display = ["job", "index", "label", "status", "attempts", "finished_at"]
    list_filter = ["status"]
    exclude = ["data"]
    readonly_fields = ["job", "index", "label", "status", "file", "outcome", "error", "attempts", "finished_at"]


@admin.register(OrganisationSeal)
class OrganisationSealAdmin(admin.ModelAdmin):
    list_display = ["organisation", "source", "subject", "not_valid_after", "is_active"]
    list_filter = ["source", "is_active"]
    exclude = ["private_key_encrypted"]
    readonly_fields = ["organisation", "source", "certificate_pem", "chain_pem", "fingerprint_sha256", "subject",
                       "issuer", "not_valid_after"]


@admin.register(SealAuthority)
class SealAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    exclude = ["private_key_encrypted"]
    readonly_fields = ["name", "certificate_pem"]
