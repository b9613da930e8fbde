{#- Column-name stem of an indicator in the audit pivot: the code with '.' -> '__'
    (procedures__district__dossiers_received); longer stems (> 48 characters) are cut and given a
    short hash. Tests in models/audit/_audit__models.yml name some stems, so the limit is part of the
    interface; on PostgreSQL (63-character identifiers) the few columns with the longest suffix
    (`__second_line_start/_end`) are shortened by the server, which nothing reads by name. -#}
{% macro dq_slug(indicator_code) -%}
    {%- set slug = indicator_code | replace('.', '__') -%}
    {%- if slug | length > 48 -%}
        {%- set slug = slug[:39] ~ '_' ~ local_md5(indicator_code)[:8] -%}
    {%- endif -%}
    {{- slug -}}
{%- endmacro %}
