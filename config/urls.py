from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from drafting.views import clauses, documents

urlpatterns = [
    path("", documents.document_list, name="document_list"),
    path("d/<slug:slug>/", documents.document_detail, name="document_detail"),
    path("d/<slug:slug>/clauses/<int:pk>/", clauses.clause_detail, name="clause_detail"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

handler400 = "drafting.views.errors.bad_request"
handler403 = "drafting.views.errors.permission_denied"
handler404 = "drafting.views.errors.page_not_found"
handler500 = "drafting.views.errors.server_error"
