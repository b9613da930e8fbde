{#- A unit's English name from its register name (without type word) and type word: the name folded
    to ASCII (ascii_fold) then the English type word (unit_type_en), as English writes Vietnamese
    places: "huyện Vĩnh Châu" -> "Vinh Chau District", "thị xã Duyên Hải" -> "Duyen Hai Town",
    "tỉnh Sóc Trăng" -> "Soc Trang Province", "thành phố Hồ Chí Minh" -> "Ho Chi Minh City". A
    numbered unit keeps the type word first: "phường 1" -> "Ward 1", "phường 2 Bảo Lộc" -> "Ward 2 Bao Loc".
    The register (vietnamadminunits) has no English or ASCII form of its own to take instead. -#}
{% macro unit_full_name_en(name_expr, type_expr) -%}
    case
        when substring({{ name_expr }}, 1, 1) between '0' and '9'
            then {{ unit_type_en(type_expr) }} || ' ' || {{ ascii_fold(name_expr) }}
        else {{ ascii_fold(name_expr) }} || ' ' || {{ unit_type_en(type_expr) }}
    end
{%- endmacro %}
