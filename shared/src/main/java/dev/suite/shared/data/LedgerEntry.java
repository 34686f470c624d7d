package dev.suite.shared.data;

/** A row of CreditLedger: one change of a user's credits. */
public record LedgerEntry(String entryId, long delta, String reason, String ref, String createdAt) {}
