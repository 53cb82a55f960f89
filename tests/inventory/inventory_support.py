"""Inventory files for the tests: a big one in the user's own style (flow lists, no group, odd spacing)."""

from __future__ import annotations


def big_inventory(n: int = 300) -> str:
    """``n`` accounts written the way a person might: flow lists, shorthand factors, no ``group``, comments."""
    lines = ["# my accounts (hand-written)", "version: 1", "title: many accounts", "accounts:"]
    for i in range(n):
        lines.append(f"- id: acct-{i}   # account number {i}")
        lines.append(f"  service: service{i}")
        lines.append(f"  label:   Account {i}")
        if i % 3 == 0:
            lines.append("  factors: [{type: totp, where: phone}, recovery_codes]")
        elif i % 3 == 1:
            lines.append("  factors: [totp, 'sms']")
        else:
            lines.append("  factors:")
            lines.append("  - type: totp")
            lines.append("    where: phone   # the old phone")
            lines.append("  - {type: recovery_codes, where: drawer}")
        lines.append("")
    return "\n".join(lines) + "\n"
