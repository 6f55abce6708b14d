package org.healthcode.interop;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.healthcode.interop.security.ApiKeys;
import org.healthcode.interop.security.CertificateAuthority;
import org.healthcode.interop.security.Role;

/**
 * Creates and withdraws credentials for the serving processes ({@code ./healthcode access}). The certificate
 * authority's key lives in {@code --ca-dir} and only this command opens it; nodes get their certificates and the CA
 * certificate, never the key.
 */
public final class AccessMain {
    private static final String USAGE = """
            usage: ./healthcode access COMMAND OPTIONS
              api-key     --file FILE --name NAME --role ROLE --region CODE
                          appends a hashed key to FILE and prints the key once
              node-cert   --ca-dir DIR --name NAME --role region|hub --region CODE --out NODE_DIR [--hosts H1,H2]
                          a node's server certificate (for the host names, default localhost,127.0.0.1) and its
                          client certificate (for its calls to peers and the hub), each with its own password file,
                          and the CA certificate: give NODE_DIR to the node as --pki-dir
              client-cert --ca-dir DIR --name NAME --role ROLE --region CODE --out FILE.p12
                          a caller's certificate (client use only); its password in FILE.p12.password
              revoke      --ca-dir DIR --serial HEX
                          revokes a certificate and writes DIR/crl.pem: copy it to the hub's --pki-dir, regions
                          take it with their next trust-list refresh
              crl         --ca-dir DIR
                          signs a fresh DIR/crl.pem of the revoked serials (before the last one's next update)
            ROLE: app, checkpoint, region, operator, hub; CODE: GB/T 2260 region code (hub: 000000).
            The CA is created in --ca-dir at first use (ca.p12, ca.crt, ca.password mode 600, or set %s).
            """.formatted(CertificateAuthority.PASSWORD_ENV);

    private AccessMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || Arrays.asList(args).contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length || !args[i].startsWith("--")) {
                fail("expected --option value pairs after " + args[0] + ", at '" + args[i] + "'");
            }
            o.put(args[i], args[i + 1]);
        }
        switch (args[0]) {
            case "api-key" ->
                System.out.println(ApiKeys.add(
                        Path.of(required(o, "--file")), required(o, "--name"), role(o), required(o, "--region")));
            case "node-cert" -> {
                List<String> hosts = o.containsKey("--hosts")
                        ? List.of(o.get("--hosts").split(","))
                        : CertificateAuthority.loopbackHosts();
                Path out = Path.of(required(o, "--out"));
                Role role = role(o);
                if (role != Role.REGION && role != Role.HUB) {
                    fail("--role: a node is a region or the hub");
                }
                for (CertificateAuthority.Issued i :
                        ca(o).issueNode(required(o, "--name"), role, required(o, "--region"), hosts, out)) {
                    System.out.println("wrote " + i.keyStore() + " (serial " + i.serialHex() + ", password in "
                            + i.passwordFile() + ")");
                }
                System.out.println("wrote " + out.resolve(CertificateAuthority.CA_CERT) + "; give " + out
                        + " to the node as --pki-dir");
            }
            case "client-cert" -> {
                CertificateAuthority ca = ca(o);
                CertificateAuthority.Issued i = ca.issueClient(
                        required(o, "--name"), role(o), required(o, "--region"), Path.of(required(o, "--out")));
                System.out.println("wrote " + i.keyStore() + " (PKCS#12, client use, serial " + i.serialHex()
                        + ", password in " + i.passwordFile() + "; CA certificate "
                        + ca.directory().resolve(CertificateAuthority.CA_CERT) + ")");
            }
            case "revoke" -> {
                BigInteger serial;
                try {
                    serial = new BigInteger(required(o, "--serial").toLowerCase(Locale.ROOT), 16);
                } catch (NumberFormatException e) {
                    fail("--serial: not a hexadecimal serial number");
                    return;
                }
                System.out.println("revoked " + serial.toString(16) + "; wrote " + ca(o).revoke(serial)
                        + ": copy it to the hub's --pki-dir (regions take it at their next trust-list refresh)");
            }
            case "crl" -> System.out.println("wrote " + ca(o).writeCrl());
            default -> fail("unknown command " + args[0]);
        }
    }

    private static CertificateAuthority ca(Map<String, String> o) throws Exception {
        return CertificateAuthority.openOrCreate(Path.of(required(o, "--ca-dir")));
    }

    private static Role role(Map<String, String> o) {
        String r = required(o, "--role");
        return Role.parse(r).orElseGet(() -> {
            fail("--role: unknown role " + r);
            return null;
        });
    }

    private static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null || v.isBlank()) {
            fail(name + ": missing");
        }
        return v;
    }

    private static void fail(String message) {
        System.err.println("access: " + message);
        System.err.print(USAGE);
        System.exit(2);
    }
}
