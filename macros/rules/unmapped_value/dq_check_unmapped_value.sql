{#- dq_rule_checks branch of an unmapped_value rule: one item per statistic row of the report that
    carries a value but is mapped to no indicator (marts.mapping_coverage, reasons
    unrecognized_label, not_in_crosswalk: the rule's severity; deliberately_unmapped, e.g. a value
    on a group header, with the crosswalk's reason: info), so that no value leaves the rules
    silently; a report without such rows has one passed item. The rule's indicator_codes are not used (the rows have
    no indicator); dq_findings takes the row's lines from mapping_coverage. -#}
{% macro dq_check_unmapped_value(rule) -%}
    {%- set source -%}
    (
        select
            r.report_id,
            r.unit_code,
            r.period_key,
            r.template_family,
            r.source_file,
            unmapped.row_seq,
            unmapped.coverage_reason,
            unmapped.reason_detail,
            unmapped.raw_label,
            unmapped.raw_value
        from report_values as r
        left join (
            select * from {{ ref('mapping_coverage') }}
            where carries_value and {{ rule_unmapped_value_violation('coverage_reason') }}
        ) as unmapped
            on r.report_id = unmapped.report_id
    ) as v
    {%- endset -%}
    {{ dq_check_select(
        rule,
        "coalesce('row:' || cast(v.row_seq as " ~ dbt.type_string() ~ "), '')",
        "''",
        skipped=rule_unmapped_value_skipped('v.coverage_reason'),
        violated=rule_unmapped_value_violation('v.coverage_reason'),
        skip_reason='null',
        observed="case when v.row_seq is not null then '{\"raw_label\": ' || "
            ~ "coalesce(cast(to_json(v.raw_label) as " ~ dbt.type_string() ~ "), 'null') || ', \"raw_value\": ' || "
            ~ "coalesce(cast(to_json(v.raw_value) as " ~ dbt.type_string() ~ "), 'null') || ', \"reason\": ' || "
            ~ "coalesce(cast(to_json(v.coverage_reason) as " ~ dbt.type_string() ~ "), 'null') || '}' else '{}' end",
        expected="'the row is recognised and mapped to an indicator (or deliberately unmapped with a reason)'",
        message="'value not used by any rule: ' || case v.coverage_reason when 'unrecognized_label' "
            ~ "then 'row not recognised' when 'not_in_crosswalk' then 'row not mapped to an indicator' "
            ~ "else 'row deliberately not mapped' end || ' (' || "
            ~ "coalesce(v.reason_detail, '') || '): \"' || coalesce(v.raw_label, '') || '\" = \"' || "
            ~ "coalesce(v.raw_value, '') || '\"'",
        message_vi="'giá trị không được quy tắc nào sử dụng: ' || case v.coverage_reason when 'unrecognized_label' "
            ~ "then 'dòng không được nhận dạng' when 'not_in_crosswalk' then 'dòng chưa được ánh xạ tới chỉ tiêu' "
            ~ "else 'dòng cố ý không ánh xạ' end || ' (' || "
            ~ "coalesce(v.reason_detail, '') || '): \"' || coalesce(v.raw_label, '') || '\" = \"' || "
            ~ "coalesce(v.raw_value, '') || '\"'",
        severity="case when v.coverage_reason = 'deliberately_unmapped' then 'info' else '" ~ rule.severity ~ "' end",
        columns=['v.row_seq', 'v.coverage_reason', 'v.reason_detail', 'v.raw_label', 'v.raw_value'],
        source=source) }}
{%- endmacro %}
