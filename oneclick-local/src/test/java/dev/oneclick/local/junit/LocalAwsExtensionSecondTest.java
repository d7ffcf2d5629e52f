package dev.oneclick.local.junit;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.local.LocalAws;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A second test class: it must get the same LocalAws as {@link LocalAwsExtensionTest}, also in {@code @BeforeAll}. */
@ExtendWith(LocalAwsExtension.class)
class LocalAwsExtensionSecondTest {

    static LocalAws fromBeforeAll;

    @BeforeAll
    static void remember(LocalAws aws) {
        fromBeforeAll = aws;
    }

    @Test
    void resolveParameter_whenSecondClass_givesTheSameLocalAws(LocalAws aws) {
        assertSame(fromBeforeAll, aws);
        if (LocalAwsExtensionTest.seenByConstructor != null) {
            assertSame(LocalAwsExtensionTest.seenByConstructor, aws);
        }
        assertTrue(aws.dynamoDbClient().listTables().hasTableNames());
    }
}
