"""Where files live and how they reach a browser.

Two storages, defined once in settings (`STORAGES`):

- ``default`` is **private**: issued PDFs, imported tables, signature and stamp images, document jobs — every
  personal file. It is never served by path. A view checks permission and then calls `private_file_response`,
  which streams a local file (`FileResponse`, `Content-Disposition`, `nosniff`, `Cache-Control: private`) or,
  with S3, redirects to a signed URL that expires within `PRIVATE_URL_MAX_SECONDS`.
- ``public`` holds assets anyone may load: organisation and project logos (shown on documents, in credentials'
  issuer profiles and on verification pages), re-encoded and stored under random names. Locally they are served
  by `agnitio.core.views.public_media` under ``MEDIA_URL + "public/"``; with S3 from their own prefix or bucket.

Locally both are folders under `MEDIA_ROOT` (``private/`` and ``public/``), computed when first used so a changed
`MEDIA_ROOT` (tests, a worker process) is followed.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages
from django.core.signals import setting_changed
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.functional import LazyObject, cached_property, empty
from django.utils.http import content_disposition_header

PRIVATE_URL_MAX_SECONDS = 300


class MediaSubdirectoryStorage(FileSystemStorage):
    """A folder of MEDIA_ROOT (``private`` or ``public``)."""

    def __init__(self, subdirectory: str = "private", **kwargs):
        self.subdirectory = subdirectory
        super().__init__(**kwargs)

    @cached_property
    def base_location(self):
        return os.path.join(self._value_or_setting(self._location, settings.MEDIA_ROOT), self.subdirectory)


class _PublicStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["public"]


public_storage_object = _PublicStorage()


def public_storage() -> Storage:
    """`storage=` of public file fields (a callable, so migrations do not depend on settings)."""
    return public_storage_object


def _reset(*, setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_ROOT", "MEDIA_URL"):
        public_storage_object._wrapped = empty


setting_changed.connect(_reset)


def is_local(storage) -> bool:
    """True for a storage on this machine's file system (files are streamed), False for S3 (signed URLs)."""
    try:
        storage.path("x")
    except NotImplementedError:
        return False
    return True


def private_file_response(field_file, *, filename: str, content_type: str, as_attachment: bool = True,
                          cache: str = "private, no-store"):
    """Hand a private file to a user whom the calling view has already checked.

    Local storage: streamed by this process. S3: a redirect to a signed URL valid for at most five minutes that
    makes S3 answer with the same content type and disposition."""
    if not field_file:
        raise Http404
    storage, name = field_file.storage, field_file.name
    if is_local(storage):
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    else:
        url = storage.url(name, parameters={
            "ResponseContentType": content_type,
            "ResponseContentDisposition": content_disposition_header(as_attachment, filename),
            "ResponseCacheControl": cache,
        }, expire=min(PRIVATE_URL_MAX_SECONDS, getattr(storage, "querystring_expire", PRIVATE_URL_MAX_SECONDS)))
        response = HttpResponseRedirect(url)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response


def legacy_storage() -> Storage:
    """Where files were before private and public storages were separated: MEDIA_ROOT itself (local), or the
    private storage unchanged (S3, whose private files stay at the bucket's root). Used by data migrations."""
    if is_local(default_storage):
        return FileSystemStorage(location=settings.MEDIA_ROOT)
    return default_storage


def move_to_private(*, name: str) -> bool:
    """Move one file from MEDIA_ROOT to the private folder (local storage only); True if moved."""
    if not name or not is_local(default_storage):
        return False
    old = legacy_storage()
    if not old.exists(name) or default_storage.exists(name):
        return False
    target = default_storage.path(name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    os.replace(old.path(name), target)
    return True


def move_rows_to_private(model, *fields: str) -> int:
    """Data migration step: move the files of `fields` of every row from MEDIA_ROOT into the private folder."""
    moved = 0
    for values in model.objects.values_list(*fields):
        for name in values:
            moved += move_to_private(name=name or "")
    return moved


def migrate_logos_to_public(model, field: str) -> int:
    """Data migration step: every stored logo of `model.field` is re-encoded (organisations.images) and stored in
    the public storage under a new random name; the old copy is deleted. A file that is not an acceptable image
    (e.g. an HTML page uploaded as a project logo) is dropped. Returns how many rows changed."""
    import logging

    from django.core.exceptions import ValidationError

    from agnitio.organisations import images

    old, new = legacy_storage(), public_storage()
    upload_to = model._meta.get_field(field).upload_to
    changed = 0
    for pk, name in model.objects.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True}).values_list("pk", field):
        if not old.exists(name):
            continue  # already moved, or lost
        try:
            with old.open(name, "rb") as handle:
                checked = images.process_upload(handle, purpose="logo")
        except ValidationError:
            logging.getLogger(__name__).warning("Dropped %s of %s #%s: not an acceptable image.", name,
                                                model.__name__, pk)
            stored = ""
        else:
            stored = new.save(f"{upload_to}{checked.file().name}", checked.file())
        model.objects.filter(pk=pk).update(**{field: stored})
        old.delete(name)
        changed += 1
    return changed


def orphan_files_delete(*, model, field: str, folder: str, cutoff, recursive: bool = False) -> list[str]:
    """Delete the files under `folder` of the storage of `model.field` that no row names (`field`, all rows) and that
    were last changed before `cutoff` (a file of a write still on its way to its row is younger). What a process
    killed between storing a file and recording it, or a deletion that removed rows but not their files, leaves
    behind. Through the storage API (any back-end); `recursive` walks sub-folders; rows are asked 500 names at a
    time. Returns the deleted names."""
    storage = model._meta.get_field(field).storage
    names: list[str] = []

    def walk(path: str) -> None:
        try:
            folders, files = storage.listdir(path)
        except (FileNotFoundError, NotADirectoryError):
            return
        names.extend(f"{path}/{name}" for name in files)
        if recursive:
            for sub in folders:
                walk(f"{path}/{sub}")

    walk(folder.rstrip("/"))
    deleted: list[str] = []
    for start in range(0, len(names), 500):
        chunk = names[start:start + 500]
        named = set(model._base_manager.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
        for name in chunk:
            if name in named:
                continue
            try:
                if storage.get_modified_time(name) >= cutoff:
                    continue
                storage.delete(name)
            except FileNotFoundError:  # gone meanwhile
                continue
            deleted.append(name)
    return deleted
