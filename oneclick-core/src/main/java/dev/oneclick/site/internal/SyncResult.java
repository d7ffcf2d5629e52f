package dev.oneclick.site.internal;

/**
 * What {@link SiteSync#apply} did.
 *
 * @param filesUploaded files whose bytes were sent
 * @param bytesUploaded the bytes sent for them
 * @param headersUpdated files whose headers were re-applied in place (CopyObject, no bytes sent)
 * @param deleted keys deleted
 * @param manifestWritten whether the deploy manifest was rewritten (see {@link SiteSync#MANIFEST_KEY})
 */
public record SyncResult(int filesUploaded, long bytesUploaded, int headersUpdated, int deleted,
        boolean manifestWritten) {
}
