/**
 * Fixed vocabulary of the synthetic 清河市: districts (made-up codes in the unused 3391xx block of
 * Zhejiang's numbering), home areas of migrants, names, streets and GB/T 4754-2017 industry classes.
 */

export interface District {
  code: string;
  name: string;
  /** Share of residents and of enterprises. */
  popWeight: number;
  firmWeight: number;
}

export const CITY_NAME = '清河市';
/** The city's "today": data are complete up to this date. */
export const REFERENCE_DATE = '2026-06-30';
export const DATA_YEARS = [2023, 2024, 2025] as const;

export const DISTRICTS: readonly District[] = [
  { code: '339102', name: '清河区', popWeight: 28, firmWeight: 10 },
  { code: '339103', name: '青龙区', popWeight: 20, firmWeight: 14 },
  { code: '339104', name: '桃源区', popWeight: 17, firmWeight: 12 },
  { code: '339105', name: '新港区', popWeight: 13, firmWeight: 34 },
  { code: '339121', name: '白沙县', popWeight: 12, firmWeight: 16 },
  { code: '339181', name: '临溪市', popWeight: 10, firmWeight: 14 },
];

/** Real county codes elsewhere in China, where the city's migrants are registered. */
export const MIGRANT_AREAS: readonly string[] = [
  '341221',
  '341222',
  '411723',
  '411528',
  '513021',
  '510722',
  '522425',
  '362329',
  '432524',
  '421182',
  '360731',
  '452123',
];

export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
export const MALE_GIVEN = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欣建国峰志兵海东亮成文博晨';
export const FEMALE_GIVEN = '芳娜敏静丽艳娟霞秀英华慧巧美玲桂红燕萍雪琳晶莉婷颖倩洁琴云莲真环雅楠欣怡梅兰凤';

export const STREETS = [
  '解放路',
  '人民路',
  '中山路',
  '建设路',
  '文化路',
  '青龙街',
  '桃源路',
  '新港大道',
  '白沙路',
  '临溪大街',
  '清河东路',
  '清河西路',
  '工业大道',
  '学府路',
  '花园街',
  '滨江路',
  '朝阳路',
  '和平路',
  '光明街',
  '长安路',
] as const;

export const FIRM_WORDS = '华远恒鑫达盛泰丰隆昌宏通顺兴旺腾飞鸿运嘉诚信德润邦瑞祥新源科创天成金海东方亚联中宇永安';

export interface IndustryClass {
  code: string;
  name: string;
  /** Word used in firm names. */
  word: string;
  weight: number;
  /** tce per 万元 revenue (median). */
  energy: number;
  /** kWh per 万元 revenue (median). */
  kwh: number;
  /** tonnes of major pollutants per 万元 revenue (median). */
  emission: number;
}

/** Manufacturing classes of GB/T 4754-2017, divisions 13–43. */
export const MANUFACTURING: readonly IndustryClass[] = [
  { code: '1311', name: '稻谷加工', word: '粮油', weight: 3, energy: 0.04, kwh: 250, emission: 0.002 },
  { code: '1392', name: '豆制品制造', word: '食品', weight: 2, energy: 0.05, kwh: 300, emission: 0.003 },
  { code: '1411', name: '糕点、面包制造', word: '食品', weight: 2, energy: 0.04, kwh: 280, emission: 0.001 },
  { code: '1512', name: '白酒制造', word: '酒业', weight: 1, energy: 0.08, kwh: 200, emission: 0.004 },
  { code: '1711', name: '棉纺纱加工', word: '纺织', weight: 5, energy: 0.12, kwh: 900, emission: 0.004 },
  { code: '1713', name: '棉印染精加工', word: '印染', weight: 3, energy: 0.3, kwh: 700, emission: 0.02 },
  { code: '1819', name: '其他机织服装制造', word: '服饰', weight: 5, energy: 0.02, kwh: 150, emission: 0.0005 },
  { code: '1952', name: '皮鞋制造', word: '鞋业', weight: 3, energy: 0.02, kwh: 120, emission: 0.001 },
  { code: '2110', name: '木质家具制造', word: '家具', weight: 4, energy: 0.03, kwh: 200, emission: 0.002 },
  { code: '2221', name: '机制纸及纸板制造', word: '纸业', weight: 2, energy: 0.35, kwh: 600, emission: 0.015 },
  { code: '2319', name: '包装装潢及其他印刷', word: '印务', weight: 3, energy: 0.03, kwh: 220, emission: 0.001 },
  { code: '2614', name: '有机化学原料制造', word: '化工', weight: 3, energy: 0.45, kwh: 800, emission: 0.02 },
  { code: '2641', name: '涂料制造', word: '涂料', weight: 2, energy: 0.1, kwh: 300, emission: 0.01 },
  { code: '2720', name: '化学药品制剂制造', word: '药业', weight: 2, energy: 0.06, kwh: 350, emission: 0.004 },
  { code: '2922', name: '塑料板、管、型材制造', word: '塑业', weight: 5, energy: 0.07, kwh: 650, emission: 0.002 },
  { code: '2927', name: '日用塑料制品制造', word: '塑胶', weight: 4, energy: 0.06, kwh: 550, emission: 0.002 },
  { code: '3011', name: '水泥制造', word: '建材', weight: 1, energy: 1.6, kwh: 1100, emission: 0.06 },
  { code: '3021', name: '水泥制品制造', word: '建材', weight: 2, energy: 0.2, kwh: 300, emission: 0.01 },
  { code: '3130', name: '钢压延加工', word: '钢业', weight: 2, energy: 0.35, kwh: 700, emission: 0.015 },
  { code: '3216', name: '铝冶炼', word: '铝业', weight: 1, energy: 0.9, kwh: 4000, emission: 0.03 },
  { code: '3311', name: '金属结构制造', word: '钢构', weight: 5, energy: 0.05, kwh: 300, emission: 0.002 },
  { code: '3351', name: '建筑、家具用金属配件制造', word: '五金', weight: 6, energy: 0.04, kwh: 350, emission: 0.002 },
  { code: '3443', name: '阀门和旋塞制造', word: '阀门', weight: 5, energy: 0.04, kwh: 300, emission: 0.002 },
  { code: '3481', name: '滚动轴承制造', word: '轴承', weight: 4, energy: 0.05, kwh: 400, emission: 0.002 },
  { code: '3483', name: '齿轮及齿轮减、变速箱制造', word: '传动', weight: 3, energy: 0.05, kwh: 380, emission: 0.002 },
  { code: '3571', name: '拖拉机制造', word: '农机', weight: 1, energy: 0.04, kwh: 250, emission: 0.002 },
  { code: '3670', name: '汽车零部件及配件制造', word: '汽配', weight: 7, energy: 0.04, kwh: 350, emission: 0.002 },
  { code: '3841', name: '锂离子电池制造', word: '新能源', weight: 2, energy: 0.05, kwh: 500, emission: 0.001 },
  { code: '3854', name: '家用厨房电器具制造', word: '电器', weight: 4, energy: 0.02, kwh: 180, emission: 0.001 },
  { code: '3973', name: '集成电路制造', word: '微电子', weight: 1, energy: 0.06, kwh: 900, emission: 0.001 },
  { code: '3982', name: '电子电路制造', word: '电子', weight: 3, energy: 0.05, kwh: 600, emission: 0.002 },
  {
    code: '4011',
    name: '工业自动控制系统装置制造',
    word: '自动化',
    weight: 2,
    energy: 0.02,
    kwh: 150,
    emission: 0.0005,
  },
  { code: '4190', name: '其他未列明制造业', word: '制品', weight: 2, energy: 0.03, kwh: 200, emission: 0.001 },
  { code: '4320', name: '通用设备修理', word: '机电', weight: 1, energy: 0.02, kwh: 120, emission: 0.001 },
];

/** Registered firms outside manufacturing (divisions 06, 44, 65, 72): outside the 亩均 population. */
export const NON_MANUFACTURING: readonly IndustryClass[] = [
  { code: '0610', name: '烟煤和无烟煤开采洗选', word: '矿业', weight: 1, energy: 0.3, kwh: 500, emission: 0.02 },
  { code: '4411', name: '火力发电', word: '热电', weight: 1, energy: 2.5, kwh: 600, emission: 0.05 },
  { code: '6513', name: '应用软件开发', word: '软件', weight: 2, energy: 0.005, kwh: 60, emission: 0 },
  { code: '7212', name: '投资与资产管理', word: '投资', weight: 1, energy: 0.002, kwh: 30, emission: 0 },
];
