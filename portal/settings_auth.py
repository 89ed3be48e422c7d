"""allauth settings (e-mail login, MFA, login by code, rate limits) and single sign-on;
imported by portal/settings.py. Constants only: nothing here reads the environment."""

# --- allauth: e-mail login, no open sign-up, MFA, login by code, rate limits -------------------
ACCOUNT_ADAPTER = "portal.core.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    "request_login_code": "20/m/ip,3/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ketenwacht] "
# Password and e-mail-code sign-in refused for domains whose organisation requires SSO.
ACCOUNT_FORMS = {
    "login": "portal.core.sso.forms.SsoAwareLoginForm",
    "request_login_code": "portal.core.sso.forms.SsoAwareRequestLoginCodeForm",
}
# --- Single sign-on (DESIGN §15): OpenID Connect providers per care organisation, from the
# database (portal.core.sso); the provider class adds a nonce and always verifies the ID token.
SOCIALACCOUNT_ADAPTER = "portal.core.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "portal.core.sso.oidc.provider.NonceOIDCProvider",
        "OAUTH_PKCE_ENABLED": True,
    }
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ketenwacht"
