package dev.oneclick.site.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A generated site shaped like a real build: HTML pages (about 2%), fingerprinted JS/CSS/fonts/images (mostly
 * 1-50 KB), some plain-named files, about 1.6% images of 100-900 KB, and three 20 MB videos. Deterministic for a
 * given seed; contents are random (incompressible).
 */
final class Corpus {
    static final long MB = 1024 * 1024;

    record Stats(int files, long bytes, int big, int medium, int html) {
    }

    private Corpus() {
    }

    static Stats generate(Path dir, int fileCount, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Files.createDirectories(dir);
        long bytes = 0;
        int big = 0;
        int medium = 0;
        int html = 0;
        byte[] buf = new byte[64 * 1024];
        String[] sections = {"docs", "blog", "guides", "api", "about"};
        String[] assetExt = {"js", "js", "js", "css", "css", "map", "woff2", "svg", "png", "webp"};
        int htmlCount = Math.max(2, fileCount / 50);
        int mediumCount = Math.max(1, fileCount * 16 / 1000);
        for (int i = 0; i < fileCount; i++) {
            String rel;
            long size;
            if (i == 0) {
                rel = "index.html";
                size = 8 * 1024 + rnd.nextInt(8 * 1024);
                html++;
            } else if (i <= 3) {
                rel = "media/video-" + i + "." + hash(rnd) + ".mp4";
                size = 20 * MB;
                big++;
            } else if (i < 3 + htmlCount) {
                rel = sections[i % sections.length] + "/section-" + (i % 37) + "/page-" + i + ".html";
                size = 2 * 1024 + rnd.nextInt(40 * 1024);
                html++;
            } else if (i < 3 + htmlCount + mediumCount) {
                rel = "assets/img/photo-" + i + "." + hash(rnd) + (i % 2 == 0 ? ".jpg" : ".webp");
                size = 100 * 1024 + rnd.nextInt(800 * 1024);
                medium++;
            } else if (i % 10 == 0) {
                rel = "static/icons/icon-" + i + ".png";
                size = 1024 + (long) (Math.pow(rnd.nextDouble(), 2) * 49 * 1024);
            } else {
                String ext = assetExt[rnd.nextInt(assetExt.length)];
                rel = "assets/" + (ext.equals("woff2") ? "fonts/" : "") + "chunk-" + i + "-" + hash(rnd) + "." + ext;
                size = 1024 + (long) (Math.pow(rnd.nextDouble(), 2) * 49 * 1024);
            }
            Path p = dir.resolve(rel);
            Files.createDirectories(p.getParent());
            try (OutputStream out = Files.newOutputStream(p)) {
                long left = size;
                while (left > 0) {
                    int n = (int) Math.min(buf.length, left);
                    for (int j = 0; j + 8 <= n; j += 8) {
                        long v = rnd.nextLong();
                        for (int k = 0; k < 8; k++) {
                            buf[j + k] = (byte) (v >>> (k * 8));
                        }
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
            bytes += size;
        }
        return new Stats(fileCount, bytes, big, medium, html);
    }

    private static String hash(SplittableRandom rnd) {
        byte[] b = new byte[4];
        long v = rnd.nextLong();
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) (v >>> (i * 8));
        }
        String hex = HexFormat.of().formatHex(b);
        // make sure it mixes letters and digits, like a real bundler hash
        return hex.chars().anyMatch(Character::isDigit) && hex.chars().anyMatch(Character::isLetter) ? hex
                : "a" + hex.substring(1, 7) + "9";
    }
}
