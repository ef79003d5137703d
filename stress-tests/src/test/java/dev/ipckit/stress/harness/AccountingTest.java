package dev.ipckit.stress.harness;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The invariant accounting: checks, a workload's violations, and the queue's delivery ledger. */
class AccountingTest
{
    private static final int PER_PRODUCER = 10;

    @Test
    void aCheckPassesOnlyInsideItsRange()
    {
        assertTrue(Check.between("x", 0, 0, 2).passed());
        assertTrue(Check.between("x", 2, 0, 2).passed());
        assertFalse(Check.between("x", 3, 0, 2).passed());
        assertFalse(Check.between("x", -1, 0, 2).passed(), "below the range: a lost update");
        assertTrue(Check.exactly("x", 4, 4).passed());
        assertFalse(Check.exactly("x", 5, 4).passed());
        assertEquals("<= 3", Check.atMost("x", 1, 3).allowed());
        assertEquals("4", Check.exactly("x", 4, 4).allowed());
        assertEquals("1..3", Check.between("x", 2, 1, 3).allowed());
    }

    @Test
    void everyFailedCheckAndEveryProblemIsAViolation()
    {
        final WorkloadReport report = new WorkloadReport("w");
        report.check(Check.exactly("fine", 0, 0));
        assertEquals(0, report.violations());
        report.check(Check.atMost("too many", 5, 4));
        report.problem("a file left behind");
        report.note("a note is not a violation");
        assertEquals(2, report.violations());
        assertEquals(2, Report.violations(List.of(report, new WorkloadReport("other"))));
    }

    @Test
    void everyMessageReceivedOnceIsClean()
    {
        final byte[] counts = counts(2);
        deliver(counts, 0, 1, 2, 3);
        deliver(counts, 1, 1, 2);
        final DeliveryLedger.Verdict verdict = judge(counts, new long[] {3, 2}, new long[] {3, 2}, Set.of());
        assertEquals(new DeliveryLedger.Verdict(5, 0, 0, 0, 0, List.of()), verdict);
    }

    @Test
    void anAcknowledgedMessageNeverReceivedIsLost()
    {
        final byte[] counts = counts(1);
        deliver(counts, 0, 1, 3);
        final DeliveryLedger.Verdict verdict = judge(counts, new long[] {3}, new long[] {3}, Set.of());
        assertEquals(1, verdict.lost());
        assertEquals(List.of("producer 0 sequence 2"), verdict.lostExamples());
    }

    @Test
    void anInFlightMessageMayBeMissingOrDelivered()
    {
        final byte[] counts = counts(2);
        deliver(counts, 0, 1, 3);                   // 2 was in flight when producer 0 died, and never appended
        deliver(counts, 1, 1, 2, 3);                // 2 was in flight when producer 1 died, and was appended
        final DeliveryLedger.Verdict verdict = judge(counts, new long[] {3, 3}, new long[] {3, 3},
            Set.of(QueueWorkload.message(0, 2), QueueWorkload.message(1, 2)));
        assertEquals(0, verdict.lost());
        assertEquals(1, verdict.inFlightDelivered());
    }

    @Test
    void aMessageBeyondTheLastAttemptIsInventedAndRepeatsAreDuplicates()
    {
        final byte[] counts = counts(1);
        deliver(counts, 0, 1, 1, 2, 2, 2, 5);
        final DeliveryLedger.Verdict verdict = judge(counts, new long[] {2}, new long[] {3}, Set.of());
        assertEquals(3, verdict.duplicates());
        assertEquals(1, verdict.invented());
        assertEquals(1, verdict.lost(), "3 was attempted but is not in flight: the producer stopped normally");
    }

    private static byte[] counts(final int producers)
    {
        return new byte[producers * PER_PRODUCER];
    }

    private static void deliver(final byte[] counts, final int producer, final int... sequences)
    {
        for (final int sequence : sequences)
        {
            counts[producer * PER_PRODUCER + sequence]++;
        }
    }

    private static DeliveryLedger.Verdict judge(final byte[] counts, final long[] acknowledged, final long[] attempted,
        final Set<Long> inFlight)
    {
        return DeliveryLedger.judge(counts, PER_PRODUCER, acknowledged, attempted, inFlight);
    }
}
