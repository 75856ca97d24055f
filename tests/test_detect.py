from disclosure.table_recon.detect import agency_and_year, detect_format


def test_format_by_labels_beats_year():
    assert detect_format(["某局2020年政府信息公开工作年度报告", "本年制发件数", "本年处理决定数量"]).format.name == "2021"
    assert detect_format(["某局2022年政府信息公开工作年度报告", "本年新制作数量", "上一年项目数量"]).format.name == "2019"


def test_format_by_year_when_labels_are_absent():
    assert detect_format(["某局2020年政府信息公开工作年度报告", "一、总体情况"]).format.name == "2019"
    assert detect_format(["某局2023年政府信息公开工作年度报告", "一、总体情况"]).format.name == "2021"


def test_pre_2019_reports_have_no_format_even_with_familiar_words():
    detection = detect_format(["某局2015年政府信息公开工作年度报告", "本年新制作数量"])
    assert detection.format is None and "2015" in detection.reason


def test_not_a_report():
    assert detect_format(["会议通知", "请各单位准时参加。"]).format is None


def test_agency_and_year_from_titles():
    assert agency_and_year("宁波市镇海区人力资源和社会保障局2020年政府信息公开工作年度报告") == (
        "宁波市镇海区人力资源和社会保障局", 2020)
    assert agency_and_year("2021年杭州市西湖区教育局政府信息公开工作年度报告") == ("杭州市西湖区教育局", 2021)
    assert agency_and_year("淮安市关于2023年度政府信息公开工作年度报告") == ("淮安市", 2023)


def test_an_untitled_agency_is_taken_from_the_signature_under_the_last_section():
    body = ["2021年政府信息公开工作年度报告", "一、总体情况", "本年制发件数", "六、其他需要报告的事项", "无。"]
    assert detect_format(body + ["杭州市西湖区教育局", "2022年1月20日"]).agency == "杭州市西湖区教育局"
    assert detect_format(body + ["二〇二二年一月二十日", "杭州市西湖区 教育局"]).agency == "杭州市西湖区教育局"
    assert detect_format(body).agency is None  # no signature: no guess from the prose
    assert detect_format(body + ["（此件公开发布）"]).agency is None
    # a title that names the agency wins over a signature that abbreviates it
    titled = ["宁波市镇海区人力资源和社会保障局2020年政府信息公开工作年度报告"] + body[1:] + ["镇海区人力资源和社会保障局"]
    assert detect_format(titled).agency == "宁波市镇海区人力资源和社会保障局"


def test_the_agency_is_read_past_a_print_header_or_a_sites_breadcrumbs_on_the_titles_line():
    from disclosure.table_recon.detect import agency_and_year

    assert agency_and_year("12/4/26,7:28PM2019年上海市人民政府办公厅政府信息公开工作年度报告") == ("上海市人民政府办公厅", 2019)
    crumbs = "当前位置:首页>政府信息公开>政府信息公开年报>正文字号:大中小打印关闭广州市天河区卫生健康局2021年政府信息公开工作年度报告"
    assert agency_and_year(crumbs) == ("广州市天河区卫生健康局", 2021)
    assert agency_and_year("宁波市镇海区人力资源和社会保障局2020年政府信息公开工作年度报告")[0] == "宁波市镇海区人力资源和社会保障局"
