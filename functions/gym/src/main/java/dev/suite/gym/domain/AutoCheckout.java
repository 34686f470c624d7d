package dev.suite.gym.domain;

import dev.suite.gym.store.CheckinStore;
import dev.suite.gym.store.CheckinStore.Presence;
import dev.suite.shared.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The scheduled job: closes visits open longer than the limit (the same transaction as a staff check-out), then makes
 * each gym's occupancy equal the members inside, correcting only a value that did not move while it counted.
 */
public final class AutoCheckout {
    private static final Logger LOG = Log.get(AutoCheckout.class);
    private final CheckinStore door;
    private final Duration maxVisit;
    private final Clock clock;

    public AutoCheckout(CheckinStore door, Duration maxVisit, Clock clock) {
        this.door = door;
        this.maxVisit = maxVisit;
        this.clock = clock;
    }

    public Map<String, Object> run() {
        Instant now = Instant.now(clock);
        Instant cutoff = now.minus(maxVisit);
        int closed = 0;
        List<Presence> before = door.everyoneInside();
        for (Presence p : before) {
            if (Instant.parse(p.since()).isBefore(cutoff)) {
                try {
                    closed += door.checkOut(p, now, "auto") ? 1 : 0;
                } catch (RuntimeException e) {
                    LOG.warn(
                            "closing visit {} failed: {}",
                            p.visitId(),
                            e.getClass().getSimpleName());
                }
            }
        }
        // Occupancy first, then who is inside: a check-in or out between the two moves occupancy, and the
        // conditional correction then leaves that gym for the next run rather than undo it.
        Map<String, Integer> occupancy = door.occupancies();
        Map<String, Integer> inside = new HashMap<>();
        for (Presence p : door.everyoneInside()) {
            inside.merge(p.gymId(), 1, Integer::sum);
        }
        int corrected = 0;
        for (Map.Entry<String, Integer> e : occupancy.entrySet()) {
            int actual = inside.getOrDefault(e.getKey(), 0);
            if (e.getValue() != actual && door.correctOccupancy(e.getKey(), e.getValue(), actual)) {
                LOG.warn("gym {} occupancy was {} with {} inside: corrected", e.getKey(), e.getValue(), actual);
                corrected++;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("inside", before.size() - closed);
        out.put("closed", closed);
        out.put("corrected", corrected);
        return out;
    }
}
