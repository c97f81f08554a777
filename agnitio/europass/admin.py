"""Platform staff name the organisation that acts as a country's Nacionālais Europass centrs (ADR 0016)."""

from django.contrib import admin

from agnitio.core.models import AuditEvent
from agnitio.core.services import audit_record

from .models import NationalCentre


@admin.register(NationalCentre)
class NationalCentreAdmin(admin.ModelAdmin):
    list_display = ["display_name", "country", "organisation"]
    raw_id_fields = ["organisation"]
    search_fields = ["display_name", "organisation__legal_name", "public_id"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
                     target=obj, organisation=obj.organisation,
                     changes={field: [None, str(form.cleaned_data.get(field))] for field in form.changed_data},
                     verb="national Europass centre named")
