"""The portal's file stores by name (settings.STORAGES: "evidence", "published", "work").

A model field keeps the store it was given when the model was defined; ``named_storage``
hands it a stand-in that looks the store up when first used, and again after the settings
change (tests point the stores at temporary folders, or at a local S3 server).
"""

from __future__ import annotations

import contextlib
import weakref

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

# By identity: a stand-in compares and hashes as the store it wraps, so a WeakSet would merge them.
_stand_ins: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


class NamedStorage(LazyObject):
    def __init__(self, alias: str):
        super().__init__()
        self.__dict__["_alias"] = alias
        _stand_ins[id(self)] = self

    def _setup(self):
        self._wrapped = storages[self.__dict__["_alias"]]


def named_storage(alias: str) -> NamedStorage:
    return NamedStorage(alias)


def is_local(storage) -> bool:
    """Whether the store keeps files on this machine's disk (it can then say where)."""
    try:
        storage.path("x")
    except NotImplementedError:
        return False
    return True


@receiver(setting_changed)
def _forget_stores(*, setting, **kwargs):
    if setting == "STORAGES":
        for stand_in in list(_stand_ins.values()):
            stand_in._wrapped = empty


@contextlib.contextmanager
def files_follow_rows(storage):
    """Files written inside a transaction go when it rolls back: the names the block appends to the
    yielded list are deleted from ``storage`` if the block raises. (A process killed in the middle
    runs no code at all: ``manage.py sweep_files`` removes what such a crash leaves behind.)
    Use around the transaction: ``with files_follow_rows(storage) as stored, transaction.atomic():``."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            with contextlib.suppress(Exception):
                storage.delete(name)
        raise
