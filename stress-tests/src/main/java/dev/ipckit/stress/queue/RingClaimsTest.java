package dev.ipckit.stress.queue;

import dev.ipckit.queue.internal.RingClaims;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two consumers of a ring queue, on two mappings, claim at once without a lock ({@link RingClaims#claim}) from a ring
 * that holds two messages: each gets one, a different one, and afterwards both rows hold theirs (applied, payload
 * intact in the hold slot) and TAKEN counts two. Results: the sequence numbers the two claimed, TAKEN, and 1 when both
 * rows hold what their consumer claimed.
 */
@JCStressTest
@Outcome(id = "1, 2, 2, 1", expect = ACCEPTABLE, desc = "The first consumer claimed message 1, the second message 2.")
@Outcome(id = "2, 1, 2, 1", expect = ACCEPTABLE, desc = "The second consumer claimed message 1, the first message 2.")
@Outcome(expect = FORBIDDEN, desc = "A message claimed twice or not at all, a row not holding it, or a wrong count.")
@State
public class RingClaimsTest
{
    private final RingClaimCell first;
    private final RingClaimCell second;

    public RingClaimsTest()
    {
        final int cell = RingClaimCell.POOL.next();
        first = RingClaimCell.POOL.first(cell);
        second = RingClaimCell.POOL.second(cell);
        first.reset();
    }

    @Actor
    public void consumer0(final IIII_Result r)
    {
        r.r1 = first.claim(0);
    }

    @Actor
    public void consumer1(final IIII_Result r)
    {
        r.r2 = second.claim(1);
    }

    @Arbiter
    public void arbiter(final IIII_Result r)
    {
        r.r3 = (int)first.claims.taken();
        r.r4 = r.r1 > 0 && r.r2 > 0 && first.holds(0, r.r1) && first.holds(1, r.r2) ? 1 : 0;
    }
}
