package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link MultipartUpload#partSize}: equal parts of about 8 MiB, larger for huge files, always within S3's rules. */
class MultipartPartSizeTest {
    private static final long MIB = 1024 * 1024;
    private static final long GIB = 1024 * MIB;

    private static long parts(long size) {
        long part = MultipartUpload.partSize(size, Transfers.PART_SIZE);
        return (size + part - 1) / part;
    }

    @Test
    void partSize_splitsIntoEqualPartsRoundedToAMebibyte() {
        assertEquals(7 * MIB, MultipartUpload.partSize(20 * MIB, Transfers.PART_SIZE)); // 7 + 7 + 6, not 8 + 8 + 4
        assertEquals(8 * MIB, MultipartUpload.partSize(8 * MIB, Transfers.PART_SIZE)); // one part
        assertEquals(8 * MIB, MultipartUpload.partSize(64 * MIB, Transfers.PART_SIZE));
        assertEquals(3, parts(20 * MIB));
    }

    @Test
    void partSize_neverBelowS3sFiveMebibytes() {
        // 9 MiB is two parts; split evenly they would be 4.5 MiB, below S3's smallest part
        assertEquals(5 * MIB, MultipartUpload.partSize(9 * MIB, Transfers.PART_SIZE));
        assertEquals(2, parts(9 * MIB));
    }

    @Test
    void partSize_growsPastAThousandPartsAndStaysWithinTenThousand() {
        assertEquals(8 * MIB, MultipartUpload.partSize(7 * GIB, Transfers.PART_SIZE)); // 896 parts
        assertEquals(9 * MIB, MultipartUpload.partSize(8 * GIB, Transfers.PART_SIZE)); // 911 parts, not 1,024
        assertEquals(103 * MIB, MultipartUpload.partSize(100 * GIB, Transfers.PART_SIZE));
        assertEquals(995, parts(100 * GIB));
        long fiveTib = 5 * 1024 * GIB; // S3's largest object
        assertTrue(parts(fiveTib) <= 10_000, "at most 10,000 parts: " + parts(fiveTib));
        assertTrue(MultipartUpload.partSize(fiveTib, Transfers.PART_SIZE) <= MultipartUpload.MAX_PART);
        for (long size = 8 * MIB; size < 40 * MIB; size += 777_777) {
            long part = MultipartUpload.partSize(size, Transfers.PART_SIZE);
            long last = size - (parts(size) - 1) * part;
            assertTrue(part >= MultipartUpload.MIN_PART && last > 0 && last <= part, size + ": " + part);
        }
    }
}
