package dev.oneclick.internal.aws;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.http.HttpEntity;
import org.apache.http.client.methods.CloseableHttpResponse;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * One page of a ListObjectsV2 answer as {@link DirectS3#listObjectsV2} reads it: each object's key, ETag (as
 * sent, quotes included) and size, and the token of the next page (null on the last). Read with a streaming XML
 * parser that refuses DTDs and external entities; keys are URL-decoded when the answer says
 * {@code EncodingType url}, as the SDK decodes them.
 */
public record ListPage(List<Item> contents, String nextContinuationToken) {
    private static final XMLInputFactory XML = factory();

    /** One listed object. */
    public record Item(String key, String etag, long size) {
    }

    static ListPage read(CloseableHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            throw SdkClientException.create("ListObjectsV2 answered without a body");
        }
        try (InputStream in = entity.getContent()) {
            return parse(in);
        } catch (XMLStreamException | RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IOException io) {
                    throw io; // the connection failed mid-answer: retried as any I/O failure
                }
            }
            throw SdkClientException.builder().message("Cannot read the ListObjectsV2 answer: " + e.getMessage())
                    .cause(e).build();
        }
    }

    static ListPage parse(InputStream in) throws XMLStreamException {
        XMLStreamReader r = XML.createXMLStreamReader(in);
        try {
            List<Item> items = new ArrayList<>();
            String next = null;
            boolean urlEncoded = false;
            String key = null;
            String etag = null;
            long size = -1;
            int depth = 0;
            boolean inContents = false;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    String name = r.getLocalName();
                    if (depth == 2 && name.equals("Contents")) {
                        inContents = true;
                        key = null;
                        etag = null;
                        size = -1;
                    } else if (inContents && depth == 3) {
                        switch (name) {
                            case "Key" -> key = r.getElementText();
                            case "ETag" -> etag = r.getElementText();
                            case "Size" -> size = Long.parseLong(r.getElementText().trim());
                            default -> { }
                        }
                        if (r.getEventType() == XMLStreamConstants.END_ELEMENT) {
                            depth--;
                        }
                    } else if (depth == 2 && name.equals("NextContinuationToken")) {
                        next = r.getElementText();
                        depth--;
                    } else if (depth == 2 && name.equals("EncodingType")) {
                        urlEncoded = r.getElementText().trim().equalsIgnoreCase("url");
                        depth--;
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (depth == 2 && inContents) {
                        if (key == null) {
                            throw new XMLStreamException("a Contents element without a Key");
                        }
                        items.add(new Item(key, etag, size));
                        inContents = false;
                    }
                    depth--;
                }
            }
            if (urlEncoded) {
                items.replaceAll(i -> new Item(SdkHttpUtils.urlDecode(i.key), i.etag, i.size));
            }
            return new ListPage(items, next == null || next.isEmpty() ? null : next);
        } finally {
            r.close();
        }
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }
}
