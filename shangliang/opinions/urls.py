from django.urls import path

from shangliang.opinions import issue_views, office_views, reporter_views, unit_views

app_name = "opinions"
urlpatterns = [
    path("", reporter_views.mine, name="mine"),
    path("new/", reporter_views.new, name="new"),
    path("similar/", reporter_views.similar, name="similar"),
    path("feedback/", reporter_views.feedback, name="feedback"),
    path("<int:pk>/", reporter_views.detail, name="detail"),
    path("<int:pk>/edit/", reporter_views.edit, name="edit"),
    path("<int:pk>/actions/<slug:action>/", reporter_views.action, name="action"),
    path("<int:pk>/scan/<int:instruction_id>/", reporter_views.scan, name="scan"),
    path("office/", office_views.office_home, name="office_home"),
    path("office/<int:org_id>/", office_views.queue, name="office_queue"),
    path("office/<int:org_id>/export/", office_views.queue_export, name="office_export"),
    path("office/<int:org_id>/feedback/", office_views.feedback_batch, name="office_feedback"),
    path("office/<int:org_id>/guide/", office_views.guide, name="office_guide"),
    path("office/<int:org_id>/figures/", office_views.figures, name="figures"),
    path("office/<int:org_id>/settings/", office_views.settings_page, name="office_settings"),
    path("office/<int:org_id>/figures/export/", office_views.figures_export, name="figures_export"),
    path("office/<int:pk>/editor/", office_views.editor, name="editor"),
    path("office/<int:pk>/instruction-scan/", office_views.scan_upload, name="scan_upload"),
    path("issues/", issue_views.issues, name="issues"),
    path("issues/<int:issue_id>/", issue_views.issue_detail, name="issue"),
    path("issues/<int:issue_id>/pdf/", issue_views.issue_pdf, name="issue_pdf"),
    path("unit/", unit_views.inbox, name="unit_inbox"),
    path("unit/<int:forwarding_id>/", unit_views.forwarding, name="unit_forwarding"),
]
