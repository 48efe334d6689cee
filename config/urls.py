from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from drafting.views import (
    account,
    activity,
    amendments,
    audit,
    clauses,
    comments,
    document_access,
    document_settings,
    documents,
    inbox,
    members,
    versions,
    what_if,
)

urlpatterns = [
    path("", documents.document_list, name="document_list"),
    # Everything within one document: each of these views is given the document's slug.
    path("d/<slug:slug>/", include([
        path("", documents.document_detail, name="document_detail"),
        path("settings/", document_settings.document_settings, name="document_settings"),
        path("access/", document_access.document_access, name="document_access"),
        path("clauses/<int:pk>/", clauses.clause_detail, name="clause_detail"),
        path("clauses/<int:pk>/amend/<str:kind>/", amendments.amendment_new, name="amendment_new"),
        path("clauses/<int:pk>/amend/<str:kind>/preview/", amendments.amendment_preview, name="amendment_preview"),
        path("amendments/", amendments.amendment_list, name="amendment_list"),
        path("amendments/<int:number>/", amendments.amendment_detail, name="amendment_detail"),
        path("amendments/<int:number>/edit/", amendments.amendment_edit, name="amendment_edit"),
        path("amendments/<int:number>/submit/", amendments.amendment_submit, name="amendment_submit"),
        path("amendments/<int:number>/withdraw/", amendments.amendment_withdraw, name="amendment_withdraw"),
        path("amendments/<int:number>/cosponsor/", amendments.amendment_cosponsor, name="amendment_cosponsor"),
        path("amendments/<int:number>/review/", amendments.amendment_review, name="amendment_review"),
        path("what-if/", what_if.what_if, name="what_if"),
        path("versions/", versions.versions, name="versions"),
        path("versions/milestones/", versions.milestone_create, name="milestone_create"),
        path("versions/milestones/<int:pk>/rename/", versions.milestone_rename, name="milestone_rename"),
        path("versions/compare/", versions.compare, name="versions_compare"),
        path("versions/compare.docx", versions.export_docx, name="versions_docx"),
        path("versions/read/", versions.read, name="versions_read"),
        path("versions/read.md", versions.export_markdown, name="versions_markdown"),
        path("disposition.csv", versions.disposition_csv, name="disposition_csv"),
        path("disposition.xlsx", versions.disposition_xlsx, name="disposition_xlsx"),
        path("activity/", activity.document_activity, name="document_activity"),
        path("clauses/<int:pk>/comments/", comments.clause_comment, name="clause_comment"),
        path("amendments/<int:number>/comments/", comments.amendment_comment, name="amendment_comment"),
        path("comments/<int:pk>/reply/", comments.comment_reply, name="comment_reply"),
        path("comments/<int:pk>/edit/", comments.comment_edit, name="comment_edit"),
        path("comments/<int:pk>/withdraw/", comments.comment_withdraw, name="comment_withdraw"),
        path("comments/<int:pk>/resolve/", comments.comment_resolve, name="comment_resolve"),
        path("comments/<int:pk>/reopen/", comments.comment_reopen, name="comment_reopen"),
        path("comments/<int:pk>/versions/", comments.comment_versions, name="comment_versions"),
    ])),
    path("tags/", document_settings.tag_list, name="tag_list"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read-all/", inbox.notifications_read_all, name="notifications_read_all"),
    path("inbox/email/", inbox.email_preference, name="email_preference"),
    path("inbox/<int:pk>/", inbox.notification_open, name="notification_open"),
    path("inbox/<int:pk>/read/", inbox.notification_read, name="notification_read"),
    path("accounts/login/", account.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", account.password_reset, name="password_reset"),
    path("accounts/reset/<uidb64>/<token>/", account.password_reset_confirm, name="password_reset_confirm"),
    path("accounts/invitation/<uidb64>/<token>/", account.invite_accept, name="invite_accept"),
    path("account/", account.profile, name="profile"),
    path("account/password/", account.password_change, name="password_change"),
    path("members/", members.member_list, name="member_list"),
    path("members/add/", members.member_add, name="member_add"),
    path("members/<int:pk>/", members.member_edit, name="member_edit"),
    path("members/<int:pk>/deactivate/", members.member_deactivate, name="member_deactivate"),
    path("members/<int:pk>/reactivate/", members.member_reactivate, name="member_reactivate"),
    path("members/<int:pk>/invite/", members.member_invite, name="member_invite"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("admin/", admin.site.urls),
]

handler400 = "drafting.views.errors.bad_request"
handler403 = "drafting.views.errors.permission_denied"
handler404 = "drafting.views.errors.page_not_found"
handler500 = "drafting.views.errors.server_error"
