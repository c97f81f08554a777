"""The "how this step works" panels of the Youthpass path (DOMAIN D1: every step has help and instructions) and
the help pages they link to. The texts follow the Latvian Youthpass guides (seeds 000, 001)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ORGANISERS, PARTICIPANTS = "organisers", "participants"

# step key → (whose help page it links to, the panel's short paragraphs)
STEPS: dict[str, tuple[str, tuple]] = {
    "project_list": (ORGANISERS, (
        _("Start a project with its grant agreement number, then enter the project, its activities and the "
          "individuals, invite them, finalise and issue the certificates."),
        _("You can prepare the certificates before the activity starts, so that at the end all attention goes to "
          "describing the learning outcomes."),
    )),
    "project_start": (ORGANISERS, (
        _("Enter the grant agreement number exactly as in your grant agreement, for example "
          "2022-1-LV01-KA153-YOU-000000000, then choose the programme and the project type of your grant agreement."),
        _("Until you enter its title, the project is shown by its number."),
    )),
    "project_form": (ORGANISERS, (
        _("Fields marked as required must be filled in. The project's data appear on page 1 and part 2 of the "
          "certificates: check them for typing errors."),
        _("If the project has only one activity, the activity's title and description replace the project's on "
          "the certificates."),
    )),
    "project": (ORGANISERS, (
        _("The path: project data, activities, individuals (entered one by one or from a table), invitations, "
          "then finalisation and the certificates."),
        _("Reminders below tell you what is still to do at the project's milestones; you can switch each off."),
    )),
    "editors": (ORGANISERS, (
        _("Invite more people to view and edit this project: enter their e-mail, name and language. Someone who "
          "already has an account only accepts the invitation."),
        _("Your organisation's owners and admins can revoke an editor's access at any time."),
    )),
    "activity": (ORGANISERS, (
        _("A project has one or several activities, for example an advance planning visit and a youth exchange. "
          "The types offered depend on the programme and the project type."),
        _("Enter the dates, whether it took place on site and/or online, and the venue. Methods and results are "
          "optional but make the certificates richer: keep them short, they are printed."),
    )),
    "participants": (ORGANISERS, (
        _("Enter the individuals one by one or upload a table. For each choose the activities they took part in "
          "and their role: participant or team member — the role decides the competence framework offered."),
        _("Invite the people with an e-mail address to check their data and describe their learning outcomes. "
          "The status shows how far each person is; the history keeps every message sent."),
    )),
    "participant": (ORGANISERS, (
        _("You enter the basic data; the person adds the rest after you invite them. Check names and dates: they "
          "appear on the certificate exactly as entered."),
        _("Preview the certificate at any time. Who supported the learning (mentor or supervisor) may sign part 3."),
    )),
    "import": (ORGANISERS, (
        _("The first row of the table holds the column names, every further row one person. First and last "
          "name in separate columns are the minimum; e-mail and country are recommended."),
        _("Download the example table if you are unsure. You check how the columns are read before anything "
          "is imported."),
    )),
    "finalise": (ORGANISERS, (
        _("When the individuals have checked their data and written their learning outcomes, enter the place and "
          "date of signing and the signatories: the legal representative signs page 1, the person responsible for "
          "the project part 2 (they may be the same person)."),
        _("An additional official signatory, for example the mayor of the host town, may be added. The "
          "certificates are PDF files, A4, ready to print in colour and sign."),
    )),
    "batch": (ORGANISERS, (
        _("The certificates are issued in the background; you may leave this page. Each issued certificate can "
          "be checked by anyone through its verification code."),
    )),
    "reminders": (ORGANISERS, (
        _("Opt in to a series of e-mails that support the participants' learning through the project: set goals "
          "before, reflect during, describe learning outcomes at the end."),
        _("Each e-mail goes once to every person with an e-mail address, in their own language unless you "
          "changed the text."),
    )),
    "learner_data": (PARTICIPANTS, (
        _("These data appear on your certificate exactly as shown here: check your name, date and place of "
          "birth and correct anything that is wrong."),
        _("The organiser sees what you enter; nothing else is shared."),
    )),
    "learner_outcomes": (PARTICIPANTS, (
        _("Describe in your own words what you learned, competence by competence: what you know, what you can "
          "do and how your attitudes changed. Write as much as you like; you need not cover every competence."),
        _("Learning that fits no competence goes under “Other competences”. Your text is saved as a draft until "
          "you submit it."),
    )),
    "learner_journal": (PARTICIPANTS, (
        _("Set your learning goals at the start: what you want to learn, and what or who could help you. During "
          "the project, note what you experienced and learned, with the date."),
        _("Your goals and notes are private. Share one with your supervisor or mentor to talk it over; the "
          "organisers do not see them. At the end they are shown beside the form where you describe your "
          "learning outcomes."),
    )),
    "supervisor": (PARTICIPANTS, (
        _("As supervisor or mentor you may add an overall assessment. It is printed in a section of its own, "
          "separate from the learner's own description of their learning outcomes."),
        _("Beside the form you see the learning goals and reflection notes the participant shared with you, and "
          "nothing they kept private."),
    )),
}
