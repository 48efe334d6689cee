from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from drafting.views import clauses, documents, versions

urlpatterns = [
    path("", documents.document_list, name="document_list"),
    path("d/<slug:slug>/", documents.document_detail, name="document_detail"),
    path("d/<slug:slug>/clauses/<int:pk>/", clauses.clause_detail, name="clause_detail"),
    path("d/<slug:slug>/versions/", versions.versions, name="versions"),
    path("d/<slug:slug>/versions/milestones/", versions.milestone_create, name="milestone_create"),
    path("d/<slug:slug>/versions/milestones/<int:pk>/rename/", versions.milestone_rename, name="milestone_rename"),
    path("d/<slug:slug>/versions/compare/", versions.compare, name="versions_compare"),
    path("d/<slug:slug>/versions/compare.docx", versions.export_docx, name="versions_docx"),
    path("d/<slug:slug>/versions/read/", versions.read, name="versions_read"),
    path("d/<slug:slug>/versions/read.md", versions.export_markdown, name="versions_markdown"),
    path("d/<slug:slug>/disposition.csv", versions.disposition_csv, name="disposition_csv"),
    path("d/<slug:slug>/disposition.xlsx", versions.disposition_xlsx, name="disposition_xlsx"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

handler400 = "drafting.views.errors.bad_request"
handler403 = "drafting.views.errors.permission_denied"
handler404 = "drafting.views.errors.page_not_found"
handler500 = "drafting.views.errors.server_error"
