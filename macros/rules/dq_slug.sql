{#- Column-name stem of an indicator in the audit pivot: the code with '.' -> '__'
    (procedures__district__dossiers_received); codes too long for a 63-character identifier with
    its suffixes are cut and given a short hash. -#}
{% macro dq_slug(indicator_code) -%}
    {%- set slug = indicator_code | replace('.', '__') -%}
    {%- if slug | length > 44 -%}
        {%- set slug = slug[:35] ~ '_' ~ local_md5(indicator_code)[:8] -%}
    {%- endif -%}
    {{- slug -}}
{%- endmacro %}
