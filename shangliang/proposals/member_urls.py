from django.urls import path

from shangliang.proposals import key_views, member_draft_views, member_views, pdf_views

urlpatterns = [
    path("", member_views.mine, name="mine"),
    path("invitations/", member_views.invitations, name="invitations"),
    path("new/", member_draft_views.new, name="new"),
    path("drafts/save/", member_draft_views.save, name="draft_save"),
    path("key/", key_views.key_list, name="key_list"),
    path("key/export/", key_views.key_xlsx, name="key_export"),
    path("<int:pk>/", member_views.detail, name="detail"),
    path("<int:pk>/print.pdf", pdf_views.proposal_pdf, name="proposal_pdf"),
    path(
        "replies/<int:assignment_id>/letter.pdf",
        pdf_views.reply_letter_pdf,
        name="reply_letter_pdf",
    ),
    path("<int:pk>/edit/", member_draft_views.edit, name="edit"),
    path("<int:pk>/submit/", member_draft_views.submit, name="submit"),
    path("<int:pk>/actions/<slug:action>/", member_views.action, name="action"),
    path("<int:pk>/cosigners/search/", member_draft_views.cosigner_search, name="cosigner_search"),
    path("<int:pk>/cosigners/invite/", member_draft_views.cosigner_invite, name="cosigner_invite"),
    path(
        "<int:pk>/cosigners/<int:cosigner_id>/remove/",
        member_draft_views.cosigner_remove,
        name="cosigner_remove",
    ),
    path("<int:pk>/attachments/", member_draft_views.attachment_add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        member_views.attachment,
        name="attachment",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_id>/remove/",
        member_draft_views.attachment_remove,
        name="attachment_remove",
    ),
    path("<int:pk>/supervision/", key_views.supervision_new, name="supervision_add"),
]
