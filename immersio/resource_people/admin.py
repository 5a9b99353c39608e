"""Back office of resource people: the team reviews profiles on their own page
(``/personnes-ressources/relecture/``); the admin lists them with initials only."""

from django.contrib import admin

from immersio.core.admin import PeopleListMixin, initials

from .models import Conversation, ProposedSlot, ResourceProfile


@admin.register(ResourceProfile)
class ResourceProfileAdmin(PeopleListMixin, admin.ModelAdmin):
    list_display = ["profile", "status", "paused_at", "published_at"]
    list_select_related = ["person"]
    list_filter = ["status"]
    search_fields = ["person__email", "person__last_name", "after_title"]
    raw_id_fields = ["person", "before_appellation", "after_appellation", "commune", "reviewed_by"]
    readonly_fields = ["public_id"]

    @admin.display(description="profil")
    def profile(self, obj):
        return f"{initials(obj.person.first_name, obj.person.last_name)} — {obj}"


class SlotInline(admin.TabularInline):
    model = ProposedSlot
    extra = 0


@admin.register(Conversation)
class ConversationAdmin(PeopleListMixin, admin.ModelAdmin):
    list_display = ["conversation", "status", "mode", "asked_at", "slot_at"]
    list_select_related = ["candidate", "profile__person"]
    list_filter = ["status", "mode"]
    search_fields = ["candidate__email", "profile__person__email"]
    raw_id_fields = ["profile", "candidate"]
    readonly_fields = ["public_id"]
    inlines = [SlotInline]

    @admin.display(description="entretien")
    def conversation(self, obj):
        candidate = initials(obj.candidate.first_name, obj.candidate.last_name)
        person = obj.profile.person
        return f"{candidate} → {initials(person.first_name, person.last_name)}"
