{#- dq_rule_checks branch of a value_type rule: one item per indicator; the value kind the staging
    read from the raw text (count, percent, ratio, code, text) against the kinds the indicator's
    type takes (params accepted=a|b, expected = the type's name for the message). The finding
    quotes the raw text: a percent written in a count row, a count (no % sign, no % unit) in a rate
    row, a fraction where a count is expected, text in a number row. Never a silent conversion.
    Severity: the rule's for a number of the wrong kind (it may be stored under a wrong reading);
    info for text or a coded answer (nothing is stored as a number of the wrong kind). -#}
{% macro dq_check_value_type(rule) -%}
    {%- set accepted = rule.params.get('accepted', 'count') -%}
    {%- set expected_type = rule.params.get('expected', accepted.split('|')[0]) -%}
    {#- the expected types of the catalogue in Vietnamese; another one is shown as written -#}
    {%- set expected_type_vi = {
        'a count or amount': 'một số đếm hoặc số tiền',
        'a rate in percent': 'một tỷ lệ phần trăm',
        'a coded answer': 'một câu trả lời theo mã',
        'count': 'một số đếm',
    }.get(expected_type, expected_type) -%}
    {%- set source -%}
    (
        select
            r.report_id,
            r.unit_code,
            r.period_key,
            r.template_family,
            r.source_file,
            items.item_code,
            fv.value_kind as x_kind,
            fv.raw_value as x_raw,
            fv.raw_unit as x_unit
        from report_values as r
        cross join (
            values {% for code in rule.codes %}('{{ code }}'){% if not loop.last %}, {% endif %}{% endfor %}
        ) as items (item_code)
        left join indicator_values as fv
            on r.report_id = fv.report_id and items.item_code = fv.indicator_code
    ) as v
    {%- endset -%}
    {%- set written -%}
        case v.x_kind
            when 'percent' then 'a percent'
            when 'ratio' then 'a fraction'
            when 'text' then 'text'
            when 'code' then 'a coded answer'
            when 'count' then 'a plain number (no % sign, no % unit)'
            else v.x_kind
        end
    {%- endset -%}
    {%- set written_vi -%}
        case v.x_kind
            when 'percent' then 'một tỷ lệ phần trăm'
            when 'ratio' then 'một phân số'
            when 'text' then 'văn bản'
            when 'code' then 'một câu trả lời theo mã'
            when 'count' then 'một số không kèm dấu % (không có đơn vị %)'
            else v.x_kind
        end
    {%- endset -%}
    {{ dq_check_select(
        rule, 'v.item_code', 'v.item_code',
        skipped=rule_value_type_skipped('v.x_kind'),
        violated=rule_value_type_violation('v.x_kind', accepted),
        skip_reason="'missing: ' || v.item_code",
        observed="'{\"' || v.item_code || '\": ' || to_json(v.x_raw) || '}'",
        expected="'" ~ expected_type ~ " (value written as " ~ accepted.split('|') | join(' or ') ~ ")'",
        message="v.item_code || ' expects " ~ expected_type ~ " but the row holds ' || " ~ written
            ~ " || ': \"' || coalesce(v.x_raw, '') || '\"' || coalesce(' (unit written \"' || v.x_unit || '\")', '')",
        message_vi="v.item_code || ' cần " ~ expected_type_vi ~ " nhưng dòng chứa ' || " ~ written_vi
            ~ " || ': \"' || coalesce(v.x_raw, '') || '\"' || coalesce(' (đơn vị ghi \"' || v.x_unit || '\")', '')",
        severity="case when v.x_kind in ('text', 'code') then 'info' else '" ~ rule.severity ~ "' end",
        columns=['v.item_code', 'v.x_kind', 'v.x_raw', 'v.x_unit'],
        source=source) }}
{%- endmacro %}
