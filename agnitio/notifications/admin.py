from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError

from . import services
from .models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "organisation", "sent_at", "last_error"]
    list_filter = ["status", "language", "template"]
    search_fields = ["to", "subject", "public_id", "related_id"]
    date_hierarchy = "created_at"
    list_select_related = ["organisation"]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed e-mails again"))
    def retry_failed(self, request, queryset):
        done = 0
        for email in queryset.filter(status=OutboxEmail.Status.FAILED):
            try:
                services.outbox_retry(actor=request.user, email=email)
            except ApplicationError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("%(count)d e-mail(s) queued again.") % {"count": done}, messages.SUCCESS)
