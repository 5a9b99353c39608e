from django.contrib import admin

from immersio.core.admin import PeopleListMixin, initials

from .models import (
    AnswerStats,
    AutoHide,
    BoardPost,
    BoardProposal,
    BoardProposalMessage,
    BoardReport,
    ContactEvent,
    ContactRequest,
    Message,
)


class RowsInline(admin.TabularInline):
    """The rows a request, a board post or a proposal gathers (messages, events,
    reports), shown under it as they were written."""

    extra = 0


THREAD_FIELDS = ["side", "author", "body", "created_at"]


class MessageInline(RowsInline):
    model = Message
    readonly_fields = THREAD_FIELDS


class EventInline(RowsInline):
    model = ContactEvent
    readonly_fields = ["at", "by", "from_status", "to_status", "reason"]


@admin.register(ContactRequest)
class ContactRequestAdmin(PeopleListMixin, admin.ModelAdmin):
    list_display = ["request", "status", "sent_at", "first_answer_at"]
    list_select_related = ["structure", "appellation"]
    list_filter = ["status", "contact_mode"]
    search_fields = ["email", "last_name", "structure__name"]
    raw_id_fields = ["structure", "appellation", "candidate"]
    readonly_fields = ["public_id"]
    inlines = [MessageInline, EventInline]

    @admin.display(description="demande")
    def request(self, obj):
        return f"{initials(obj.first_name, obj.last_name)} → {obj.structure} ({obj.appellation})"


admin.site.register(AnswerStats)
admin.site.register(AutoHide)


class BoardReportInline(RowsInline):
    model = BoardReport
    readonly_fields = ["reason", "created_at"]


class BoardProposalInline(RowsInline):
    model = BoardProposal
    readonly_fields = ["structure", "author", "body", "created_at"]


@admin.register(BoardPost)
class BoardPostAdmin(PeopleListMixin, admin.ModelAdmin):
    list_display = ["post", "commune", "published_at", "expires_at", "hidden_at"]
    list_select_related = ["commune", "appellation", "cause"]  # its __str__ names one
    list_filter = ["hidden_at", "unpublished_at"]
    raw_id_fields = ["candidate", "appellation", "commune"]
    readonly_fields = ["public_id"]
    inlines = [BoardProposalInline, BoardReportInline]

    @admin.display(description="demande")
    def post(self, obj):
        return f"{initials(obj.first_name, obj.last_initial)} — {obj.subject}"


class BoardProposalMessageInline(RowsInline):
    model = BoardProposalMessage
    readonly_fields = THREAD_FIELDS


@admin.register(BoardProposal)
class BoardProposalAdmin(PeopleListMixin, admin.ModelAdmin):
    """A proposal and its thread, for moderation."""

    list_display = ["proposal", "created_at"]
    list_select_related = ["structure", "post__appellation", "post__cause"]
    raw_id_fields = ["post", "structure", "author"]
    inlines = [BoardProposalMessageInline]

    @admin.display(description="proposition")
    def proposal(self, obj):
        post = obj.post
        return f"{obj.structure} → {initials(post.first_name, post.last_initial)} — {post.subject}"
