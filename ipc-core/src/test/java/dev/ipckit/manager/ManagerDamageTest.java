package dev.ipckit.manager;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.RegionOptions;
import dev.ipckit.memory.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Block numbers a dict or list reads from its region are checked before they place a read or a write. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManagerDamageTest
{
    @TempDir
    Path dir;
    SharedRegion region;

    @BeforeEach
    void createRegion()
    {
        region = SharedRegion.create("managed", 1 << 20, RegionOptions.defaults().withDirectory(dir));
    }

    @AfterEach
    void closeRegion()
    {
        region.close();
    }

    @Test
    void aDictWhoseFreeListHeadIsDamagedIsCorruptNotAWriteElsewhere()
    {
        final SharedDict<Object, Object> dict = SharedDict.create(region, "d", 16, 4096);
        dict.put("a", 1);
        final int offset = region.find("d", ObjectType.DICT).offset();
        region.buffer().putInt(offset + TableLayout.FREE_HEAD_OFFSET, 1_000_000);
        final RegionException ex = assertThrows(RegionException.class, () -> dict.put("b", 2));
        assertEquals(RegionException.Reason.CORRUPT, ex.reason(), ex.getMessage());
        assertTrue(ex.getMessage().contains("block number is 1000000"), ex.getMessage());
        assertTrue(ex.getMessage().contains(region.path().toString()), ex.getMessage());
    }

    @Test
    void aListWhoseBlocksOffsetIsDamagedIsRefusedAtOpen()
    {
        SharedList.create(region, "l", 16, 4096);
        final int offset = region.find("l", ObjectType.LIST).offset();
        region.buffer().putInt(offset + TableLayout.CAPACITY_OFFSET, -7);
        final RegionException ex = assertThrows(RegionException.class, () -> SharedList.open(region, "l"));
        assertEquals(RegionException.Reason.CORRUPT, ex.reason(), ex.getMessage());
        assertTrue(ex.getMessage().contains("capacity -7"), ex.getMessage());
    }
}
