package org.healthcode.codes.dcc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.healthcode.codes.keys.KeyIds;

/** EU DCC document signer certificates (DSC) indexed by their DCC kid (SHA-256 of the DER certificate, 8 bytes). */
public final class DscList {
    private final Map<String, List<X509Certificate>> byKidHex;

    private DscList(Map<String, List<X509Certificate>> byKidHex) {
        this.byKidHex = byKidHex;
    }

    public static DscList of(List<X509Certificate> certificates) {
        Map<String, List<X509Certificate>> index = new HashMap<>();
        for (X509Certificate c : certificates) {
            index.computeIfAbsent(HexFormat.of().formatHex(KeyIds.ofCertificate(c)), k -> new ArrayList<>())
                    .add(c);
        }
        return new DscList(index);
    }

    /** A file of base64 DER certificates, one a line; blank lines and lines starting with # are skipped. */
    public static DscList load(Path file) throws IOException {
        List<X509Certificate> certs = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                certs.add(parse(l));
            } catch (CertificateException | IllegalArgumentException e) {
                throw new IOException(
                        file + " line " + lineNo + ": not a base64 DER certificate: " + e.getMessage(), e);
            }
        }
        return of(certs);
    }

    public static X509Certificate parse(String base64Der) throws CertificateException {
        byte[] der = Base64.getMimeDecoder().decode(base64Der);
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    public List<X509Certificate> byKid(byte[] kid) {
        return byKidHex.getOrDefault(HexFormat.of().formatHex(kid), List.of());
    }
}
