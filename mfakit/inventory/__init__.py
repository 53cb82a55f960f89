"""The person's accounts: model, YAML storage with comments kept, validation and recorded changes."""

from mfakit.inventory.changes import record_change
from mfakit.inventory.create import init_inventory
from mfakit.inventory.model import (
    FACTOR_TYPES, KEY_FACTORS, PHONE_FACTORS, Account, Change, Factor, Inventory, slugify, unique_id,
)
from mfakit.inventory.storage import load_inventory, new_inventory, save_inventory

__all__ = [
    "FACTOR_TYPES", "KEY_FACTORS", "PHONE_FACTORS", "Account", "Change", "Factor", "Inventory",
    "init_inventory", "load_inventory", "new_inventory", "record_change", "save_inventory", "slugify",
    "unique_id",
]
