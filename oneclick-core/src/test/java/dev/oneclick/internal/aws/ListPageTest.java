package dev.oneclick.internal.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Test;

/** How {@link ListPage} reads a ListObjectsV2 answer (the stores' own answers: BucketListerTest). */
class ListPageTest {
    private static ListPage parse(String xml) throws XMLStreamException {
        return ListPage.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsKeysEtagsSizesAndTheNextToken() throws Exception {
        ListPage page = parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <Name>b</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
                  <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
                  <Contents><Key>a+b/c%20d%0A.txt</Key><LastModified>2026-12-07T10:00:00.000Z</LastModified>
                    <ETag>&quot;abc&quot;</ETag><Size>12</Size>
                    <Owner><ID>x</ID><DisplayName>Key</DisplayName></Owner><StorageClass>STANDARD</StorageClass>
                  </Contents>
                  <Contents><Key>%C3%BC.css</Key><ETag>"def-2"</ETag><Size>0</Size></Contents>
                  <NextContinuationToken>tok/1+=</NextContinuationToken>
                </ListBucketResult>
                """);
        assertEquals(List.of(new ListPage.Item("a b/c d\n.txt", "\"abc\"", 12), new ListPage.Item("\u00fc.css",
                "\"def-2\"", 0)), page.contents());
        assertEquals("tok/1+=", page.nextContinuationToken());
    }

    @Test
    void keysAreTakenAsTheyAreWithoutUrlEncodingAndTheLastPageHasNoToken() throws Exception {
        ListPage page = parse("<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a+b%20.txt</Key>"
                + "<Size>3</Size></Contents><NextContinuationToken></NextContinuationToken></ListBucketResult>");
        assertEquals(List.of(new ListPage.Item("a+b%20.txt", null, 3)), page.contents());
        assertNull(page.nextContinuationToken());
        assertEquals(List.of(), parse("<ListBucketResult><KeyCount>0</KeyCount></ListBucketResult>").contents());
    }

    @Test
    void refusesDocumentTypesAndContentsWithoutAKey() {
        assertThrows(XMLStreamException.class, () -> parse("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM"
                + " \"file:///etc/passwd\">]><ListBucketResult><Contents><Key>&x;</Key></Contents>"
                + "</ListBucketResult>"));
        assertThrows(XMLStreamException.class, () -> parse("<ListBucketResult><Contents><Size>1</Size></Contents>"
                + "</ListBucketResult>"));
    }
}
