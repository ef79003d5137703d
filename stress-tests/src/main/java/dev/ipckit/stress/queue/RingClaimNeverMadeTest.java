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
 * A consumer died before the commit point of its claim of message 1 ({@link RingClaims}): its HELD is tentative but
 * CLAIM never named its row. A live consumer claims message 1 itself (its claim ends where the dead one's would have),
 * while another thread settles the dead row ({@link RingClaims#settleDeadRow}): the dead row must come out holding
 * nothing, or message 1 would be delivered twice. Results: the live consumer's sequence number, what the settle said
 * the dead row holds, the dead row's HELD afterwards, TAKEN.
 */
@JCStressTest
@Outcome(id = "1, 0, 0, 1", expect = ACCEPTABLE, desc = "The dead row holds nothing; message 1 claimed once.")
@Outcome(expect = FORBIDDEN, desc = "Message 1 held twice, or a wrong count.")
@State
public class RingClaimNeverMadeTest
{
    private final RingClaimCell first;
    private final RingClaimCell second;

    public RingClaimNeverMadeTest()
    {
        final int cell = RingClaimCell.POOL.next();
        first = RingClaimCell.POOL.first(cell);
        second = RingClaimCell.POOL.second(cell);
        first.reset();
        first.deadClaimOfFirstMessage(false);
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
        r.r3 = (int)first.held(0);
        r.r4 = (int)first.claims.taken();
    }
}
