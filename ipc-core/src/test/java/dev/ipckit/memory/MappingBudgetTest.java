package dev.ipckit.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Item 5 of issue 13: running out of memory mappings is an exception, not a JVM abort. The limit is lowered through
 * the test hook (the sysctl cannot be changed safely in a test).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MappingBudgetTest
{
    private static final int SIZE = 16 * 1024;
    /** Regions the lowered limit leaves room for, above the headroom. */
    private static final int ROOM = 20;

    @TempDir
    Path dir;

    private final List<SharedRegion> regions = new ArrayList<>();

    @AfterEach
    void restore()
    {
        MappingBudget.limitForTesting(0);
        regions.forEach(SharedRegion::close);
    }

    private RegionOptions options()
    {
        return RegionOptions.defaults().withDirectory(dir).withDirectoryCapacity(1);
    }

    @Test
    void pastTheLimitARegionIsRefusedNamingBothNumbersAndClosingRegionsMakesRoomAgain() throws Exception
    {
        assumeTrue(MappingBudget.available(), "counts mappings only where /proc exists");
        final SharedRegion kept = SharedRegion.create("kept", SIZE, options().withPersistent(true));
        kept.close();
        final long limit = MappingBudget.countNow() + MappingBudget.MIN_HEADROOM + ROOM;
        assertEquals(MappingBudget.MIN_HEADROOM, MappingBudget.headroom(limit), "the test's limit is small");
        MappingBudget.limitForTesting(limit);

        RegionException refused = null;
        for (int i = 0; i < 10 * ROOM && refused == null; i++)
        {
            try
            {
                regions.add(SharedRegion.create("r" + i, SIZE, options()));
            }
            catch (final RegionException ex)
            {
                refused = ex;
            }
        }
        assertNotNull(refused, "never refused: " + regions.size() + " regions mapped under a limit of " + limit);
        assertEquals(RegionException.Reason.MAPPING_LIMIT, refused.reason(), refused.getMessage());
        assertTrue(regions.size() >= ROOM / 2 && regions.size() <= 2 * ROOM,
            regions.size() + " regions before the refusal, room was made for " + ROOM);
        final String message = refused.getMessage();
        assertTrue(message.matches(".*this process has \\d+ memory mappings and may have " + limit +
            " \\(vm.max_map_count\\); ipckit keeps " + MappingBudget.MIN_HEADROOM + " free.*"), message);
        assertTrue(message.contains("ipckit holds " + regions.size() + " region mapping(s) now"), message);
        assertTrue(message.contains("close regions you no longer use") && message.contains("sysctl -w vm.max_map_count="),
            message);
        final String refusedName = "r" + regions.size();
        assertFalse(Files.exists(dir.resolve(refusedName + ".region")), "a refused create leaves no file");

        // Opening maps too, so it is refused as well. (The limit is set again from a fresh count: the test JVM's own
        // threads may have come and gone since the refusal.)
        MappingBudget.limitForTesting(MappingBudget.countNow() + MappingBudget.MIN_HEADROOM - 10);
        assertEquals(RegionException.Reason.MAPPING_LIMIT,
            assertThrows(RegionException.class, () -> SharedRegion.open("kept", options())).reason());

        // Closing regions gives their mappings back: 10 closed, 2 mapped again (a margin for the JVM's own).
        MappingBudget.limitForTesting(limit);
        for (int i = 0; i < 10; i++)
        {
            regions.remove(regions.size() - 1).close();
        }
        try (SharedRegion again = SharedRegion.create(refusedName, SIZE, options());
             SharedRegion opened = SharedRegion.open("kept", options()))
        {
            assertTrue(again.isCreator());
            assertFalse(opened.isCreator());
        }
    }

    @Test
    void ipckitsMappingsAreTrackedWithoutRecountingEachTime() throws Exception
    {
        assumeTrue(MappingBudget.available(), "counts mappings only where /proc exists");
        MappingBudget.limitForTesting(0);
        SharedRegion.create("warm", SIZE, options()).close(); // counts once after the reset
        Unmapper.awaitPending(30_000);                          // its mapping lingers a moment after the close
        final long live = MappingBudget.liveMappings();
        final long countsBefore = MappingBudget.countsMade();
        for (int i = 0; i < 50; i++)
        {
            regions.add(SharedRegion.create("t" + i, SIZE, options()));
        }
        assertEquals(live + 50, MappingBudget.liveMappings());
        assertEquals(countsBefore, MappingBudget.countsMade(), "far from the limit, 50 mappings needed no new count");
        regions.forEach(SharedRegion::close);
        regions.clear();
        assertTrue(Unmapper.awaitPending(30_000), "closed regions are unmapped after their linger");
        assertEquals(live, MappingBudget.liveMappings(), "every unmap is given back");
    }
}
