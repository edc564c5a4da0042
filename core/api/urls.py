from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from core.api import auth, otp_views, users, views

router = SimpleRouter()
router.register("users", users.UserViewSet, basename="user")
router.register("groups", users.GroupViewSet, basename="group")
router.register("permissions", users.PermissionViewSet, basename="permission")

auth_patterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("refresh/", auth.RefreshView.as_view(), name="refresh"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("otp/enrol/", otp_views.OtpEnrolView.as_view(), name="otp-enrol"),
    path("otp/verify/", otp_views.OtpVerifyView.as_view(), name="otp-verify"),
    path("me/", views.MeView.as_view(), name="me"),
    path("password-reset/", views.PasswordResetRequestView.as_view(), name="password-reset"),
    path("password-reset/confirm/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
]

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="api-root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("health/", views.HealthView.as_view(), name="api-health"),
    path("auth/", include((auth_patterns, "auth"))),
    path("", include(router.urls)),
]
