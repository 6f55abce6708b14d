package org.healthcode.interop.codes;

import java.util.Optional;
import org.healthcode.codes.verify.Verdict;

/**
 * What a verification at this process decided: the verifier's verdict, and the venue scan event it produced
 * (only for a valid own-region code scanned at a checkpoint with scan feedback on).
 */
public record VerifyOutcome(Verdict verdict, Optional<String> scanEventId) {}
