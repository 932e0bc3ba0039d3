package io.hypersdk.provider.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.rest.PagedResponse;
import com.azure.storage.blob.BlobUrlParts;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.PageRangeItem;
import com.azure.storage.blob.options.ListPageRangesOptions;
import com.azure.storage.blob.specialized.PageBlobClient;
import com.azure.storage.blob.specialized.SpecializedBlobClientBuilder;
import io.hypersdk.provider.spi.TransferException;
import io.hypersdk.transfer.RangedDownloadRequest.Range;
import java.util.ArrayList;
import java.util.List;

/**
 * A page blob's size and written ranges (Get Page Ranges, followed page by page), read through its
 * SAS URL with azure-storage-blob. The VHD footer (the last 512 bytes) is always included.
 */
final class PageRanges {
    static final int VHD_FOOTER = 512;

    /** The blob's size and the ranges that hold data. */
    record Layout(long size, List<Range> ranges) {
        long allocated() {
            return ranges.stream().mapToLong(Range::length).sum();
        }
    }

    private PageRanges() {}

    static Layout read(String sasUrl, HttpClient http, int pageSize) {
        PageBlobClient blob =
                new SpecializedBlobClientBuilder()
                        .endpoint(sasUrl)
                        .httpClient(http)
                        .buildPageBlobClient();
        String name = BlobUrlParts.parse(sasUrl).getBlobName();
        try {
            long size = blob.getProperties().getBlobSize();
            List<Range> ranges = new ArrayList<>();
            for (PagedResponse<PageRangeItem> page :
                    blob.listPageRanges(
                                    new ListPageRangesOptions(
                                                    new com.azure.storage.blob.models.BlobRange(0))
                                            .setMaxResultsPerPage(pageSize),
                                    null,
                                    com.azure.core.util.Context.NONE)
                            .iterableByPage()) {
                for (PageRangeItem item : page.getValue()) {
                    if (!item.isClear()) {
                        ranges.add(
                                new Range(
                                        item.getRange().getOffset(), item.getRange().getLength()));
                    }
                }
            }
            if (size >= VHD_FOOTER) {
                ranges.add(
                        new Range(
                                size - VHD_FOOTER,
                                VHD_FOOTER)); // a fixed VHD's footer: kept whatever the ranges say
            }
            return new Layout(size, ranges);
        } catch (BlobStorageException e) {
            throw new TransferException(
                    "cannot read the page ranges of disk blob "
                            + name
                            + ": storage answered "
                            + e.getStatusCode()
                            + " "
                            + e.getErrorCode()
                            + (e.getStatusCode() == 403
                                    ? "; the SAS was refused (expired or tampered): export again to get a new grant"
                                    : "; try again"),
                    e);
        } catch (RuntimeException e) {
            throw new TransferException(
                    "cannot read the page ranges of disk blob "
                            + name
                            + ": "
                            + SasUrls.redact(String.valueOf(e.getMessage()))
                            + "; check the network to the storage endpoint",
                    e);
        }
    }
}
