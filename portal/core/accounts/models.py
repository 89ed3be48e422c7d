"""Users, organisations (tenants), memberships with roles, invitations and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TenantQuerySet

# Titles people put before their name; a greeting uses the first name after them.
NAME_TITLES = {"dr", "drs", "ir", "ing", "mr", "prof", "dhr", "mw", "mevr", "mrs", "ms", "mx"}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)

    def get_by_natural_key(self, email: str) -> User:
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an e-mail address; belongs to organisations through memberships."""

    email = models.EmailField(_("e-mail address"), unique=True, max_length=254)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        """The first name, for a greeting: titles such as "Dr." or "mr." are skipped."""
        words = self.name.split()
        for word in words:
            if not word.endswith(".") and word.lower() not in NAME_TITLES:
                return word
        return words[-1] if words else self.email


class OrganisationKind(models.TextChoices):
    CARE = "care", _("Care organisation")
    SUPPLIER = "supplier", _("Supplier")


class Organisation(models.Model):
    """A tenant: a care organisation that buys, or a supplier that answers."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=OrganisationKind.choices)
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, help_text=_("Chamber of Commerce, 8 digits")
    )
    mfa_required = models.BooleanField(
        _("MFA required"),
        default=False,
        help_text=_("Members must set up two-factor authentication before they can continue."),
    )
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kvk_number"],
                condition=~models.Q(kvk_number=""),
                name="organisation_unique_kvk",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_care(self) -> bool:
        return self.kind == OrganisationKind.CARE

    @property
    def is_supplier(self) -> bool:
        return self.kind == OrganisationKind.SUPPLIER


class Role(models.TextChoices):
    # care organisation roles
    ADMIN = "admin", _("Administrator")
    SECURITY = "security", _("Security officer")
    PROCUREMENT = "procurement", _("Procurement")
    BOARD = "board", _("Board member")
    VIEWER = "viewer", _("Viewer")
    # supplier roles
    OWNER = "owner", _("Supplier owner")
    RESPONDENT = "respondent", _("Respondent")


CARE_ROLES = (Role.ADMIN, Role.SECURITY, Role.PROCUREMENT, Role.BOARD, Role.VIEWER)
SUPPLIER_ROLES = (Role.OWNER, Role.RESPONDENT)
ROLES_BY_KIND = {OrganisationKind.CARE: CARE_ROLES, OrganisationKind.SUPPLIER: SUPPLIER_ROLES}


class MembershipQuerySet(TenantQuerySet):
    organisation_field = "organisation"

    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """User × organisation × role. The remote CISO holds several of these."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def kind(self) -> str:
        return self.organisation.kind


class InvitationQuerySet(TenantQuerySet):
    organisation_field = "organisation"


class Invitation(models.Model):
    """A single-use, expiring link that creates an account or adds a membership."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Where to land after accepting (e.g. the questionnaire a supplier was invited for).
    next_url = models.CharField(max_length=300, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.role})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_used(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_pending(self) -> bool:
        return not (self.is_used or self.is_expired or self.revoked_at)


class ApiTokenQuerySet(TenantQuerySet):
    organisation_field = "membership__organisation"


class HashedKey(models.Model):
    """A secret shown once and stored only as its SHA-256 hash: API tokens and SCIM tokens."""

    # What every key of the kind starts with, so a leaked one is recognisable in logs and scans.
    key_prefix = ""

    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.key_prefix + secrets.token_urlsafe(32)


class ApiToken(HashedKey):
    """A personal API token bound to one membership (one user in one organisation)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    # A read-only token may read everything its role may read, and change nothing.
    read_only = models.BooleanField(_("read-only"), default=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    @property
    def is_usable(self) -> bool:
        if self.revoked_at:
            return False
        return not (self.expires_at and timezone.now() >= self.expires_at)
