package id.camelpayouts.payout;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.camel.Variable;

import id.camelpayouts.ledger.Payout;

/**
 * Which dropped files wait for approval (payouts.approval.files): globs matched against the file's
 * name as dropped (its batch id), {@code *} any characters and {@code ?} one, case-sensitive,
 * several separated by commas. Only dropped files: an API or queue batch is approved by amount
 * (payouts.approval.above, in routes/engine/route-payout.camel.yaml) like any payout.
 */
public class ApprovalRules {

    private final List<String> globs;
    private final List<Pattern> patterns = new ArrayList<>();

    public ApprovalRules(List<String> globs) {
        this.globs = List.copyOf(globs);
        for (String glob : this.globs) {
            StringBuilder regex = new StringBuilder();
            for (char c : glob.toCharArray()) {
                regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            patterns.add(Pattern.compile(regex.toString()));
        }
    }

    /** The glob the payout's dropped file matches (it then waits for approval), or null. */
    public String fileGlob(@Variable("payout") Payout payout) {
        if (payout == null || !"file".equals(payout.getIntake()) || payout.getBatchId() == null) {
            return null;
        }
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matcher(payout.getBatchId()).matches()) {
                return globs.get(i);
            }
        }
        return null;
    }
}
