{#- dq_rule_checks branch of a rate_reconciliation rule: codes rate|numerator|denominator, or one
    rate code with params fraction=self (the fraction written with the value, e.g. '64/64'). Optional
    params: decimals (else inferred from the reported rate), scale (default 100), numerator_adds=a|b:
    indicator codes of counts the form includes in the numerator when they are stated apart (e.g.
    early dossiers from a note 'n trước hạn' join the on-time count: the form's on-time rate is
    (on time + early) / resolved); an added count that is not stated adds nothing.
    numerator_adds_families=a|b limits the addition to the families whose form states the added
    count apart from the numerator (elsewhere the numerator already includes it). -#}
{% macro dq_check_rate_reconciliation(rule) -%}
    {%- set m = rule.missing -%}
    {%- set tol = rule.tolerance -%}
    {%- set scale = rule.params.get('scale', 100) -%}
    {%- set decimals = rule.params.get('decimals', none) -%}
    {%- set rate_col = rule.pairs[0][1] -%}
    {%- if rule.params.get('fraction', '') == 'self' -%}
        {%- set code = rule.codes[0] -%}
        {%- set pairs = [(code, rate_col), (code ~ '#numerator', rate_col ~ '__numerator'),
                         (code ~ '#denominator', rate_col ~ '__denominator')] -%}
    {%- else -%}
        {%- set pairs = rule.pairs -%}
    {%- endif -%}
    {%- set r, n, d = pairs[0][1], pairs[1][1], pairs[2][1] -%}
    {%- set added = [] -%}
    {%- for code in rule.params.get('numerator_adds', '').split('|') if code | trim != '' -%}
        {%- do added.append((code | trim, 'v.' ~ dq_slug(code | trim))) -%}
    {%- endfor -%}
    {%- if added -%}
        {%- set families = rule.params.get('numerator_adds_families', '') -%}
        {%- set terms = [] -%}
        {%- for key, expr in added -%}
            {%- set term = 'coalesce(cast(' ~ expr ~ ' as double precision), 0)' -%}
            {%- if families -%}
                {%- set term = "case when v.template_family in ('" ~ families.split('|') | join("', '")
                    ~ "') then " ~ term ~ ' else 0 end' -%}
            {%- endif -%}
            {%- do terms.append(term) -%}
        {%- endfor -%}
        {%- set n = '(' ~ n ~ ' + ' ~ terms | join(' + ') ~ ')' -%}
    {%- endif -%}
    {%- set c = rule_rate_computed(n, d, m, scale) -%}
    {%- set dec = rule_rate_decimals(r, decimals, m) -%}
    {%- set expected = rule_number_text(rule_round_half_up(c, 2)) ~ " || ' (' || "
        ~ rule_number_text(rule_input(n, m)) ~ " || ' / ' || " ~ rule_number_text(rule_input(d, m))
        ~ " || ' x " ~ scale ~ ")'" ~ (" || ' +/- " ~ tol ~ "'" if tol | float > 0 else "") -%}
    {#- the message in English and Vietnamese: the same figures, the words of each language -#}
    {%- set messages = {} -%}
    {%- for lang, words in [
        ('en', ('reported rate ', ' does not match ', ' (rounded to ', ' decimals: ', ', truncated: ')),
        ('vi', ('tỷ lệ báo cáo ', ' không khớp với ', ' (làm tròn đến ', ' chữ số thập phân: ', ', cắt bớt: ')),
    ] -%}
        {%- do messages.update({lang: "'" ~ words[0] ~ "' || " ~ rule_number_text(rule_input(r, m))
            ~ " || '" ~ words[1] ~ "' || "
            ~ rule_number_text(rule_input(n, m)) ~ " || ' / ' || " ~ rule_number_text(rule_input(d, m))
            ~ " || ' x " ~ scale ~ " = ' || " ~ rule_number_text(c)
            ~ " || '" ~ words[2] ~ "' || cast(" ~ dec ~ " as " ~ dbt.type_string() ~ ") || '" ~ words[3] ~ "' || "
            ~ rule_number_text(rule_round_half_up(c, dec)) ~ " || '" ~ words[4] ~ "' || "
            ~ rule_number_text(rule_truncate(c, dec)) ~ " || ')'"}) -%}
    {%- endfor -%}
    {%- set message = messages['en'] -%}
    {%- set message_vi = messages['vi'] -%}
    {{ dq_check_select(
        rule, "''", "'" ~ (rule.codes + added | map('first') | list) | join(',') ~ "'",
        skipped=rule_rate_reconciliation_skipped(r, n, d, m),
        violated=rule_rate_reconciliation_violation(r, n, d, m, tol, decimals, scale),
        skip_reason="coalesce(" ~ dq_missing_list(pairs) ~ ", 'denominator is zero')",
        observed=dq_json_object(pairs + added),
        expected=expected,
        message=message,
        message_vi=message_vi,
        columns=(pairs + added) | map('last') | list) }}
{%- endmacro %}
