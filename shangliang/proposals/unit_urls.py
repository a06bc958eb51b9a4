"""/proposals/unit/: handling units, the office's reply audit and deadline board, ratings."""

from django.urls import path

from shangliang.proposals import audit_views, rating_views, unit_views

urlpatterns = [
    path("", unit_views.inbox, name="unit_inbox"),
    path("export/", unit_views.inbox_xlsx, name="unit_inbox_export"),
    path("<int:assignment_id>/", unit_views.assignment_detail, name="unit_assignment"),
    path(
        "<int:assignment_id>/actions/<slug:action>/",
        unit_views.assignment_action,
        name="unit_assignment_action",
    ),
    path("<int:assignment_id>/reply-file/", unit_views.reply_file_upload, name="unit_reply_file"),
    path(
        "<int:assignment_id>/reply.pdf",
        unit_views.reply_file_download,
        name="unit_reply_file_download",
    ),
    path("ratings/", rating_views.ratings_mine, name="ratings_mine"),
    path("ratings/<int:assignment_id>/", rating_views.rating_submit, name="rating_submit"),
    path("office/", audit_views.office_home, name="handling_office"),
    path("office/<int:org_id>/audit/", audit_views.audit_queue, name="handling_audit"),
    path(
        "office/<int:org_id>/reassignments/",
        audit_views.reassignments,
        name="handling_reassignments",
    ),
    path("office/<int:org_id>/extensions/", audit_views.extensions, name="handling_extensions"),
    path("office/<int:org_id>/board/", audit_views.board, name="handling_board"),
    path("office/<int:org_id>/board/export/", audit_views.board_xlsx, name="handling_board_export"),
    path("office/<int:org_id>/contacts/", audit_views.contact_check, name="handling_contacts"),
]
