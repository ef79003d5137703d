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
 * A consumer died right after the commit point of its claim of message 1 ({@link RingClaims}): CLAIM names its row,
 * its HELD is still tentative, TAKEN not raised. A live consumer claims (and so applies the dead one's claim on its
 * way), while another thread settles the dead row as an adoption does ({@link RingClaims#settleDeadRow}). Whatever the
 * interleaving the dead row holds message 1 (the adoption would redeliver it), the live consumer gets message 2, and
 * TAKEN counts both. Results: the live consumer's sequence number, what the settle said the dead row holds (the
 * message's end, 24), 1 when the dead row holds message 1 afterwards, TAKEN.
 */
@JCStressTest
@Outcome(id = "2, 24, 1, 2", expect = ACCEPTABLE, desc = "Message 1 stays held by the dead row; message 2 claimed.")
@Outcome(expect = FORBIDDEN, desc = "Message 1 lost or claimed again, or a wrong count.")
@State
public class RingClaimDeathTest
{
    private final RingClaimCell first;
    private final RingClaimCell second;

    public RingClaimDeathTest()
    {
        final int cell = RingClaimCell.POOL.next();
        first = RingClaimCell.POOL.first(cell);
        second = RingClaimCell.POOL.second(cell);
        first.reset();
        first.deadClaimOfFirstMessage(true);
    }

    @Actor
    public void consumer(final IIII_Result r)
    {
        r.r1 = first.claim(1);
    }

    @Actor
    public void adopter(final IIII_Result r)
    {
        r.r2 = (int)second.claims.settleDeadRow(0);
    }

    @Arbiter
    public void arbiter(final IIII_Result r)
    {
        r.r3 = first.holds(0, 1) ? 1 : 0;
        r.r4 = (int)first.claims.taken();
    }
}
