package org.healthcode.interop;

import java.nio.file.Path;
import org.healthcode.interop.security.ApiKeys;
import org.healthcode.interop.security.DevPki;
import org.healthcode.interop.security.Role;

/**
 * Creates credentials for the serving process: {@code api-key --file F --name N --role R --region C} appends a hashed
 * key and prints the key once; {@code client-cert --pki-dir D --name N --role R --region C --out F.p12} issues a
 * client certificate from the development CA (password: {@code <pki-dir>/pki.password}).
 */
public final class AccessMain {
    private AccessMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || java.util.Arrays.asList(args).contains("--help")) {
            usage();
            return;
        }
        java.util.Map<String, String> o = new java.util.HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        Role role = Role.parse(o.get("--role")).orElse(null);
        if (role == null || o.get("--name") == null || o.get("--region") == null) {
            usage();
            System.exit(2);
        }
        switch (args[0]) {
            case "api-key" -> System.out.println(ApiKeys.add(Path.of(o.get("--file")), o.get("--name"), role,
                    o.get("--region")));
            case "client-cert" -> {
                DevPki.openOrCreate(Path.of(o.get("--pki-dir"))).writeClient(o.get("--name"), role, o.get("--region"),
                        Path.of(o.get("--out")));
                System.out.println("wrote " + o.get("--out") + " (PKCS#12, password in " + o.get("--pki-dir")
                        + "/pki.password; CA certificate " + o.get("--pki-dir") + "/ca.crt)");
            }
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("usage: AccessMain api-key --file FILE --name NAME --role app|checkpoint|region|operator|hub"
                + " --region CODE\n       AccessMain client-cert --pki-dir DIR --name NAME --role ROLE --region CODE"
                + " --out FILE.p12");
    }
}
