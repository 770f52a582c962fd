package io.micromodels.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a peer script produced: its JSON result objects, or why it was skipped or failed.
 *
 * @param peer    peer name, e.g. {@code torch}
 * @param status  {@link Status#OK}, {@link Status#SKIPPED} (interpreter or module missing, or the
 *                script said so) or {@link Status#FAILED} (crashed, timed out, produced nothing)
 * @param reason  why it was skipped or failed; empty when OK
 * @param meta    the script's {@code {"meta": ...}} object (versions, threads), or null
 * @param results result objects, one per measured configuration (empty unless OK)
 * @param elapsed wall-clock time of the script
 */
public record PeerOutcome(String peer, Status status, String reason, JsonNode meta, List<JsonNode> results,
                          Duration elapsed) {

    /** Outcome kinds. */
    public enum Status { OK, SKIPPED, FAILED }

    public PeerOutcome {
        results = List.copyOf(results);
        reason = reason == null ? "" : reason;
    }

    static PeerOutcome skipped(String peer, String reason, Duration elapsed) {
        return new PeerOutcome(peer, Status.SKIPPED, reason, null, List.of(), elapsed);
    }

    static PeerOutcome failed(String peer, String reason, Duration elapsed) {
        return new PeerOutcome(peer, Status.FAILED, reason, null, List.of(), elapsed);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /**
     * One line for the log: {@code peer torch skipped: <reason>}, {@code peer torch failed: <reason>}
     * or {@code peer torch: 9 results in 12.3 s}.
     */
    public String line() {
        return switch (status) {
            case OK -> String.format(Locale.ROOT, "peer %s: %d results in %.1f s", peer, results.size(),
                    elapsed.toMillis() / 1000.0);
            case SKIPPED -> "peer " + peer + " skipped: " + reason;
            case FAILED -> "peer " + peer + " failed: " + reason;
        };
    }
}
